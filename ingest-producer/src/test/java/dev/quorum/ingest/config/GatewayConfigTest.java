package dev.quorum.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.kit.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatewayConfigTest {

  @Test
  void defaults_answer_within_seconds_and_kafka_client_properties_pass_through() {
    // Given only the bootstrap servers and SASL settings
    GatewayConfig config = GatewayConfig.parse(Map.of(
        "kafka.bootstrap.servers", "broker:9096",
        "kafka.client.security.protocol", "SASL_SSL",
        "kafka.client.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";",
        "gateway.slack.signing.secret", "8f742231b10e8888abcd99yyyzzz85a5"));

    // Then the producer gets them, Kafka's silence becomes a 503 within seconds, and secrets are masked
    assertThat(config.publisher().producerProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
    assertThat(config.ackTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(config.slackEnabled()).isTrue();
    assertThat(config.describe()).contains("kafka.client.security.protocol = SASL_SSL", "gateway.slack.signing.secret = ****")
        .doesNotContain("hunter2", "8f742231b10e8888abcd99yyyzzz85a5");
    assertThat(config.toString()).doesNotContain("8f742231b10e8888abcd99yyyzzz85a5");
  }

  @Test
  void every_bad_key_is_named() {
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("gateway.http.port", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers is required")
        .hasMessageContaining("gateway.http.port");
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("kafka.bootstrap.servers", "b:9092", "gateway.slack.reply.budget", "5s")))
        .hasMessageContaining("gateway.slack.reply.budget");
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("kafka.bootstrap.servers", "b:9092", "gateway.htp.port", "1")))
        .hasMessageContaining("unknown configuration key gateway.htp.port");
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("kafka.bootstrap.servers", "b:9092", "kafka.client.acks", "1")))
        .hasMessageContaining("acks");
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("kafka.bootstrap.servers", "b:9092", "gateway.clients", "am:nothex")))
        .hasMessageContaining("gateway.clients");
  }

  @Test
  void configured_channel_bindings_are_read() {
    UUID incident = UUID.randomUUID();
    GatewayConfig config = GatewayConfig.parse(Map.of("kafka.bootstrap.servers", "b:9092",
        "gateway.slack.bindings", "T1/C1=" + incident + ", C2=" + incident));
    assertThat(config.slackBindings()).containsEntry("T1/C1", incident).containsEntry("C2", incident);
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("kafka.bootstrap.servers", "b:9092", "gateway.slack.bindings", "C1=INC-1")))
        .hasMessageContaining("gateway.slack.bindings");
  }
}
