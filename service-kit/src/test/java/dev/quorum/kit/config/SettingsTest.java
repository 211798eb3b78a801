package dev.quorum.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SettingsTest {
  enum Mode { POSTGRESQL, DSQL }

  static final ConfigKey<String> SERVERS = ConfigKey.text("kafka.bootstrap.servers", null, "Kafka bootstrap servers");
  static final ConfigKey<Integer> ROWS = ConfigKey.integer("svc.batch.max.rows", 1000, 1, 3000, "rows per transaction");
  static final ConfigKey<Duration> WAIT = ConfigKey.duration("svc.batch.max.wait", "50ms", Duration.ZERO, Duration.ofSeconds(10), "batch wait");
  static final ConfigKey<String> PASSWORD = ConfigKey.secret("db.password", "database password");
  static final ConfigKey<Mode> MODE = ConfigKey.enumeration("db.dialect", Mode.class, Mode.POSTGRESQL, "dialect");
  static final ConfigKey<List<String>> ENDPOINTS = ConfigKey.list("db.endpoints", "", "endpoints");
  static final List<ConfigKey<?>> KEYS = List.of(SERVERS, ROWS, WAIT, PASSWORD, MODE, ENDPOINTS);

  private static Settings parse(Map<String, String> raw) {
    return Settings.parse(KEYS, List.of("svc.", "db."), List.of("kafka.client."), raw);
  }

  @Test
  void values_are_typed_and_defaults_apply() {
    Settings settings = parse(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092", "svc.batch.max.wait", "2s",
        "db.dialect", "dsql", "db.endpoints", "a.example, b.example"));

    assertThat(settings.get(ROWS)).isEqualTo(1000);
    assertThat(settings.get(WAIT)).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.get(MODE)).isEqualTo(Mode.DSQL);
    assertThat(settings.get(ENDPOINTS)).containsExactly("a.example", "b.example");
  }

  @Test
  void every_bad_key_is_reported_at_once_by_name_and_value() {
    assertThatThrownBy(() -> parse(Map.of("svc.batch.max.rows", "5000", "svc.batch.max.wait", "soon", "svc.bacth.size", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers is required")
        .hasMessageContaining("svc.batch.max.rows must be in [1, 3000], was 5000")
        .hasMessageContaining("svc.batch.max.wait: cannot read \"soon\"")
        .hasMessageContaining("unknown configuration key svc.bacth.size");
  }

  @Test
  void pass_through_properties_kafka_types_as_passwords_are_masked_whatever_their_name() {
    String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----";
    Settings settings = Settings.parse(KEYS, List.of("svc."), List.of("kafka.client.", "svc.streams."), Map.of(
        "kafka.bootstrap.servers", "k:1",
        "kafka.client.ssl.keystore.key", pem,
        "kafka.client.ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----",
        "svc.streams.producer.ssl.keystore.key", pem,
        "svc.streams.main.consumer.ssl.key.password", "hunter2",
        "svc.streams.ssl.keystore.key", pem,
        "kafka.client.ssl.keystore.location", "/etc/kafka/keystore.p12"));

    assertThat(settings.describe()).contains(
            "kafka.client.ssl.keystore.key = ****", "kafka.client.ssl.truststore.certificates = ****",
            "svc.streams.producer.ssl.keystore.key = ****", "svc.streams.main.consumer.ssl.key.password = ****",
            "svc.streams.ssl.keystore.key = ****", "kafka.client.ssl.keystore.location = /etc/kafka/keystore.p12")
        .doesNotContain("PRIVATE KEY", "CERTIFICATE", "hunter2");
  }

  @Test
  void secrets_are_masked_in_the_description_and_in_errors() {
    Settings settings = parse(Map.of("kafka.bootstrap.servers", "k:1", "db.password", "hunter2",
        "kafka.client.sasl.jaas.config", "org.apache...PlainLoginModule password=\"x\"", "kafka.client.acks", "all"));

    assertThat(settings.describe()).contains("db.password = ****", "kafka.client.sasl.jaas.config = ****", "kafka.client.acks = all")
        .doesNotContain("hunter2", "PlainLoginModule");
    assertThat(settings.toString()).doesNotContain("hunter2");
    assertThat(settings.withPrefix("kafka.client.")).containsEntry("acks", "all");
  }

  @Test
  void sources_layer_file_then_environment_then_system_properties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("svc.properties");
    Files.writeString(file, "svc.batch.max.rows=10\nsvc.batch.max.wait=1s\nkafka.bootstrap.servers=file:1\n");
    Map<String, String> env = Map.of("QUORUM_SVC_BATCH_MAX_ROWS", "20", "QUORUM_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL",
        "QUORUM_CONFIG", file.toString());
    Properties system = new Properties();
    system.setProperty("svc.batch.max.wait", "3s");
    system.setProperty("java.home", "/ignored");

    Path chosen = ConfigSources.configFile(new String[0], env);
    Map<String, String> merged = ConfigSources.merge(chosen, env, system, KEYS, List.of("svc.", "db."), List.of("kafka.client."));
    Settings settings = parse(merged);

    assertThat(settings.get(ROWS)).isEqualTo(20);
    assertThat(settings.get(WAIT)).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.get(SERVERS)).isEqualTo("file:1");
    assertThat(settings.withPrefix("kafka.client.")).containsEntry("security.protocol", "SSL");
    assertThat(merged).doesNotContainKey("java.home");
    assertThat(ConfigSources.configFile(new String[] {"--config=/x.properties"}, env)).isEqualTo(Path.of("/x.properties"));
  }

  @Test
  void an_unreadable_file_names_itself() {
    assertThatThrownBy(() -> ConfigSources.merge(Path.of("/nonexistent/q.properties"), Map.of(), new Properties(), KEYS,
        List.of(), List.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/q.properties");
  }

  @Test
  void keys_map_to_environment_variables() {
    assertThat(ROWS.environmentVariable()).isEqualTo("QUORUM_SVC_BATCH_MAX_ROWS");
    assertThat(ConfigKey.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(ConfigKey.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
  }
}
