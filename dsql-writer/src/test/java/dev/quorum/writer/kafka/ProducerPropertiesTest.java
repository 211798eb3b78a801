package dev.quorum.writer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.writer.domain.BatchLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProducerPropertiesTest {

  private static WriterSettings settings(Map<String, String> clientProperties) {
    return new WriterSettings("127.0.0.1:9092", "quorum-dsql-writer", "quorum-dsql-writer-0", "actions", "committed",
        "dlq", new BatchLimits(3_000, 8L * 1024 * 1024, Duration.ZERO), Duration.ofMillis(200), Duration.ofSeconds(60),
        Duration.ofSeconds(1), Duration.ofSeconds(30), 2, clientProperties);
  }

  @Test
  void the_transactional_producer_retries_a_transaction_the_coordinator_is_still_completing_after_5_ms() {
    // When
    Properties properties = KafkaWriter.producerProperties(settings(Map.of()));

    // Then: not after the client's default 100 ms (20 ms for a first partition), which every batch waited
    assertThat(properties.getProperty(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo("5");
    assertThat(properties.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("quorum-dsql-writer-0");
    assertThat(properties.getProperty(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
  }

  @Test
  void an_operator_s_retry_backoff_stands() {
    // When
    Properties properties = KafkaWriter.producerProperties(settings(Map.of(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50")));

    // Then
    assertThat(properties.getProperty(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo("50");
  }
}
