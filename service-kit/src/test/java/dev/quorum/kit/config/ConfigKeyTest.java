package dev.quorum.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigKeyTest {
  enum Acks { ALL, LEADER }

  static final ConfigKey<Integer> MAX_ROWS = ConfigKey.integer("quorum.writer.batch.max-rows", 1000, 2, 3000,
      "rows per database transaction");
  static final ConfigKey<Integer> INSTANCE = ConfigKey.integer("quorum.writer.instance", 0, 0, 999, "ordinal").required();
  static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("quorum.writer.partitions", 6, 1, 1000, "partitions")
      .validated(n -> n % 2 == 0, "must be even");
  static final ConfigKey<List<HostPort>> BOOTSTRAP = ConfigKey.hostPorts("quorum.kafka.bootstrap", null, "Kafka brokers");
  static final ConfigKey<URI> DB_URL = ConfigKey.uri("quorum.db.url", "jdbc:postgresql://localhost:5432/quorum", "JDBC URL");
  static final ConfigKey<Boolean> TLS = ConfigKey.bool("quorum.http.tls", false, "serve TLS");
  static final ConfigKey<Acks> ACKS = ConfigKey.enumeration("quorum.kafka.acks", Acks.class, Acks.ALL, "producer acks");
  static final ConfigKey<String> PEPPER = ConfigKey.secret("quorum.http.token.pepper", "pepper of client token hashes");
  static final ConfigKey<String> DB_PASSWORD = ConfigKey.text("quorum.db.password", null, "database password").asSecret();
  static final List<ConfigKey<?>> KEYS = List.of(MAX_ROWS, INSTANCE, PARTITIONS, BOOTSTRAP, DB_URL, TLS, ACKS, PEPPER, DB_PASSWORD);

  private static Settings parse(Map<String, String> raw) {
    return Settings.parse(KEYS, List.of("quorum."), List.of(), raw);
  }

  private static final Map<String, String> MINIMAL = Map.of("quorum.writer.instance", "3",
      "quorum.kafka.bootstrap", "k1:9092, [::1]:9093", "quorum.db.password", "hunter2");

  @Test
  void a_quorum_key_maps_to_its_environment_variable_without_a_doubled_prefix() {
    assertThat(MAX_ROWS.environmentVariable()).isEqualTo("QUORUM_WRITER_BATCH_MAX_ROWS");
    assertThat(ConfigKey.text("writer.group.id", "g", "group").environmentVariable()).isEqualTo("QUORUM_WRITER_GROUP_ID");
  }

  @Test
  void a_value_from_the_environment_is_read_under_its_variable() {
    // Given
    Map<String, String> env = Map.of("QUORUM_WRITER_BATCH_MAX_ROWS", "2500", "QUORUM_WRITER_INSTANCE", "1",
        "QUORUM_KAFKA_BOOTSTRAP", "k:9092", "QUORUM_DB_PASSWORD", "pw", "UNRELATED", "x");

    // When
    Settings settings = parse(ConfigSources.merge(null, env, new Properties(), KEYS, List.of("quorum."), List.of()));

    // Then
    assertThat(settings.get(MAX_ROWS)).isEqualTo(2500);
    assertThat(settings.get(INSTANCE)).isEqualTo(1);
  }

  @Test
  void a_system_property_sets_a_declared_key_outside_the_services_prefixes() {
    // Given
    Properties system = new Properties();
    system.setProperty("quorum.writer.instance", "7");

    // When
    Map<String, String> merged = ConfigSources.merge(null, Map.of(), system, KEYS, List.of(), List.of());

    // Then
    assertThat(merged).containsEntry("quorum.writer.instance", "7");
  }

  @Test
  void typed_values_are_parsed_and_defaults_apply() {
    // When
    Settings settings = parse(MINIMAL);

    // Then
    assertThat(settings.get(MAX_ROWS)).isEqualTo(1000);
    assertThat(settings.get(INSTANCE)).isEqualTo(3);
    assertThat(settings.get(BOOTSTRAP)).containsExactly(new HostPort("k1", 9092), new HostPort("::1", 9093));
    assertThat(settings.get(BOOTSTRAP).get(1)).hasToString("[::1]:9093");
    assertThat(settings.get(DB_URL)).isEqualTo(URI.create("jdbc:postgresql://localhost:5432/quorum"));
    assertThat(settings.get(TLS)).isFalse();
    assertThat(settings.get(ACKS)).isEqualTo(Acks.ALL);
    assertThat(settings.get(PEPPER)).isEmpty();
  }

  @Test
  void all_errors_are_reported_at_once_each_naming_key_and_value() {
    // Given
    Map<String, String> raw = Map.of("quorum.writer.batch.max-rows", "1", "quorum.writer.partitions", "7",
        "quorum.kafka.bootstrap", "k1", "quorum.db.url", "localhost", "quorum.http.tls", "maybe", "quorum.kafka.acks", "some");

    // When / Then
    assertThatThrownBy(() -> parse(raw))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            "quorum.writer.batch.max-rows must be in [2, 3000], was 1",
            "quorum.writer.instance is required: ordinal (set it in the config file, as QUORUM_WRITER_INSTANCE,"
                + " or as -Dquorum.writer.instance)",
            "quorum.writer.partitions must be in [1, 1000] and must be even, was 7",
            "quorum.kafka.bootstrap: cannot read \"k1\": not host:port: k1",
            "quorum.db.url must be an absolute URI, was localhost",
            "quorum.http.tls: cannot read \"maybe\": not a boolean: maybe",
            "quorum.kafka.acks: cannot read \"some\": must be one of [all, leader]",
            "quorum.db.password is required: database password (set it in the config file, as QUORUM_DB_PASSWORD,"
                + " or as -Dquorum.db.password)"));
  }

  @Test
  void a_required_secret_left_blank_is_missing_and_a_bad_secret_is_never_echoed() {
    // Given
    ConfigKey<Integer> pin = ConfigKey.integer("quorum.test.pin", 0, 0, 9999, "pin").asSecret();

    // When / Then
    assertThatThrownBy(() -> parse(Map.of("quorum.writer.instance", "1", "quorum.kafka.bootstrap", "k:1",
        "quorum.db.password", " ")))
        .hasMessageContaining("quorum.db.password is required");
    assertThatThrownBy(() -> Settings.parse(List.of(pin), List.of(), List.of(), Map.of("quorum.test.pin", "12345")))
        .hasMessageContaining("quorum.test.pin must be in [0, 9999], was ****").hasMessageNotContaining("12345");
  }

  @Test
  void the_description_shows_one_key_per_line_with_secrets_masked() {
    // Given
    Settings settings = parse(Map.of("quorum.writer.instance", "3", "quorum.kafka.bootstrap", "k1:9092",
        "quorum.db.password", "hunter2", "quorum.http.token.pepper", "salt-and-pepper"));

    // When
    String described = settings.describe();

    // Then
    assertThat(described.lines()).contains("quorum.writer.batch.max-rows = 1000", "quorum.writer.instance = 3",
        "quorum.db.password = ****", "quorum.http.token.pepper = ****");
    assertThat(described.lines()).hasSize(KEYS.size());
    assertThat(described).doesNotContain("hunter2", "salt-and-pepper");
  }

  @Test
  void the_reference_lists_every_key_with_variable_default_and_description() {
    // When
    String reference = Settings.reference(KEYS);

    // Then
    assertThat(reference.lines()).hasSize(KEYS.size()).contains(
        "quorum.writer.batch.max-rows (QUORUM_WRITER_BATCH_MAX_ROWS, default 1000, must be in [2, 3000]): rows per database transaction",
        "quorum.writer.instance (QUORUM_WRITER_INSTANCE, required, must be in [0, 999]): ordinal");
  }

  @Test
  void a_key_name_that_is_not_dotted_lower_case_is_refused() {
    assertThatThrownBy(() -> ConfigKey.text("Quorum.Writer", "x", "d")).hasMessageContaining("Quorum.Writer");
    assertThatThrownBy(() -> ConfigKey.text("quorum_writer", "x", "d")).hasMessageContaining("quorum_writer");
  }
}
