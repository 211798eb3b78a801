package dev.quorum.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RegistriesTest {

  @Test
  void the_registry_carries_jvm_and_process_metrics_tagged_with_the_service() {
    // Given
    PrometheusMeterRegistry registry = Registries.prometheus("dsql-writer");

    // When
    registry.counter("quorum_writer_batches").increment();
    String scrape = registry.scrape();

    // Then
    assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads{", "process_uptime_seconds{",
        "system_cpu_count{", "jvm_gc_", "quorum_writer_batches_total{service=\"dsql-writer\"} 1.0");
    assertThat(scrape.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{")))
        .allSatisfy(l -> assertThat(l).contains("service=\"dsql-writer\""));
    registry.close();
  }
}
