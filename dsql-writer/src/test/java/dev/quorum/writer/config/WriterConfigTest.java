package dev.quorum.writer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.store.jdbc.Dialect;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    raw.put("db.url", "jdbc:postgresql://127.0.0.1:5432/quorum");
    return raw;
  }

  @Test
  void defaults_fill_in_everything_but_the_two_addresses() {
    WriterConfig config = WriterConfig.parse(minimal());

    assertThat(config.kafka().transactionalId()).isEqualTo("quorum-dsql-writer-0");
    assertThat(config.kafka().actionsTopic()).isEqualTo("quorum.actions.v1");
    assertThat(config.kafka().limits().maxRows()).isEqualTo(3_000);
    assertThat(config.kafka().limits().maxWait()).isEqualTo(Duration.ZERO);
    assertThat(config.kafka().databaseLanes()).isEqualTo(1);
    assertThat(config.database().dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(config.retry().maxAttempts()).isEqualTo(10);
    assertThat(config.migrate()).isTrue();
  }

  @Test
  void a_missing_required_key_is_named_with_the_ways_to_set_it() {
    Map<String, String> raw = minimal();
    raw.remove("db.url");

    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("db.url is required").hasMessageContaining("QUORUM_DB_URL");
  }

  @Test
  void a_value_out_of_range_is_named_with_its_bounds() {
    Map<String, String> raw = minimal();
    raw.put("writer.batch.max.rows", "3001");

    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("writer.batch.max.rows must be in [2, 3000], was 3001");
  }

  @Test
  void more_database_lanes_than_pooled_connections_are_refused() {
    Map<String, String> raw = minimal();
    raw.put("writer.db.lanes", "3");
    raw.put("db.pool.size", "2");

    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("writer.db.lanes 3 is above db.pool.size 2");
  }

  @Test
  void a_malformed_value_is_named() {
    Map<String, String> raw = minimal();
    raw.put("writer.batch.max.wait", "soon");

    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("writer.batch.max.wait: cannot read \"soon\"");
  }

  @Test
  void a_misspelt_key_is_refused_rather_than_ignored() {
    Map<String, String> raw = minimal();
    raw.put("writer.batch.max.row", "10");

    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key writer.batch.max.row ");
  }

  @Test
  void secrets_are_masked_in_the_logged_configuration() {
    Map<String, String> raw = minimal();
    raw.put("db.password", "hunter2");
    raw.put("kafka.client.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule password=x;");
    raw.put("kafka.client.security.protocol", "SASL_SSL");

    WriterConfig config = WriterConfig.parse(raw);

    assertThat(config.describe()).contains("db.password = ****", "kafka.client.sasl.jaas.config = ****",
        "kafka.client.security.protocol = SASL_SSL", "db.url = jdbc:postgresql://127.0.0.1:5432/quorum")
        .doesNotContain("hunter2", "password=x");
    assertThat(config.database().toString()).doesNotContain("hunter2");
    assertThat(config.database().password()).isEqualTo("hunter2");
    assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void dsql_mode_takes_endpoints_and_a_region_and_refuses_a_static_password() {
    Map<String, String> raw = minimal();
    raw.remove("db.url");
    raw.put("db.dialect", "dsql");
    raw.put("db.username", "admin");
    raw.put("db.dsql.endpoints", "abc.dsql.eu-west-1.on.aws, def.dsql.eu-west-2.on.aws:5432");
    raw.put("db.dsql.region", "eu-west-1");

    WriterConfig config = WriterConfig.parse(raw);

    assertThat(config.database().dialect()).isEqualTo(Dialect.DSQL);
    assertThat(config.database().dsql().endpoints())
        .containsExactly("abc.dsql.eu-west-1.on.aws", "def.dsql.eu-west-2.on.aws:5432");
    assertThat(config.database().dsql().sslMode()).isEqualTo("verify-full");
    assertThat(config.database().maxLifetime()).isLessThan(Duration.ofMinutes(60));

    raw.put("db.password", "static");
    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("db.password must not be set in dsql mode");
    raw.remove("db.password");
    raw.remove("db.dsql.region");
    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.dsql.region");
  }

  @Test
  void no_key_lets_dsql_mode_connect_without_tls() {
    Map<String, String> raw = minimal();
    raw.remove("db.url");
    raw.put("db.dialect", "dsql");
    raw.put("db.dsql.endpoints", "abc.dsql.eu-west-1.on.aws");
    raw.put("db.dsql.region", "eu-west-1");
    raw.put("db.dsql.sslmode", "disable");

    assertThatThrownBy(() -> WriterConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key db.dsql.sslmode");
  }

  @Test
  void environment_overrides_the_file_and_system_properties_override_the_environment() {
    Properties system = new Properties();
    system.setProperty("writer.batch.max.rows", "300");
    system.setProperty("java.version", "ignored");
    Map<String, String> environment = Map.of(
        "QUORUM_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "QUORUM_DB_URL", "jdbc:postgresql://db/quorum",
        "QUORUM_WRITER_BATCH_MAX_ROWS", "200",
        "QUORUM_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL");

    WriterConfig config = WriterConfig.load(new String[0], environment, system);

    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.kafka().limits().maxRows()).isEqualTo(300);
    assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SSL");
  }
}
