package dev.quorum.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherConfigTest {

  @Test
  void the_producer_is_idempotent_with_acks_all_and_passes_security_settings_through() {
    // Given a configuration for a SASL_SSL cluster
    PublisherConfig config = PublisherConfig.builder("broker-1:9096")
        .property("security.protocol", "SASL_SSL")
        .property("sasl.mechanism", "SCRAM-SHA-512")
        .property("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";")
        .deliveryTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(2))
        .build();

    // When the producer properties are built
    Properties p = config.producerProperties();

    // Then the security settings are there and the guarantees are fixed
    assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
        .containsEntry("delivery.timeout.ms", "5000").containsEntry("request.timeout.ms", "2000")
        .containsEntry("bootstrap.servers", "broker-1:9096").containsEntry("client.id", "quorum-publisher");
  }

  @Test
  void a_property_that_would_weaken_the_guarantees_is_refused_naming_it() {
    assertThatThrownBy(() -> PublisherConfig.builder("b:9092").property("acks", "1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
    assertThatThrownBy(() -> PublisherConfig.builder("b:9092").property("enable.idempotence", "false").build())
        .hasMessageContaining("enable.idempotence");
    assertThatThrownBy(() -> PublisherConfig.builder("b:9092").property("linger.ms", "50").build())
        .hasMessageContaining("typed setting");
  }

  @Test
  void a_delivery_timeout_shorter_than_a_request_is_refused_at_once() {
    assertThatThrownBy(() -> PublisherConfig.builder("b:9092")
        .deliveryTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)).build())
        .hasMessageContaining("deliveryTimeout");
  }
}
