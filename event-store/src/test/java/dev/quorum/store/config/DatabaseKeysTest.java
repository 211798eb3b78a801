package dev.quorum.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.Settings;
import dev.quorum.store.jdbc.Dialect;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DatabaseKeysTest {

  private static Settings parse(Map<String, String> raw) {
    return Settings.parse(DatabaseKeys.KEYS, List.of("db."), List.of(), raw);
  }

  private static Map<String, String> dsql() {
    Map<String, String> raw = new HashMap<>();
    raw.put("db.dialect", "dsql");
    raw.put("db.username", "admin");
    raw.put("db.dsql.endpoints", "abc.dsql.eu-west-1.on.aws, def.dsql.eu-west-2.on.aws:5432");
    raw.put("db.dsql.region", "eu-west-1");
    return raw;
  }

  @Test
  void postgresql_mode_reads_url_credentials_and_pool_bounds() {
    DatabaseSettings settings = DatabaseKeys.from(parse(Map.of("db.url", "jdbc:postgresql://db:5432/quorum",
        "db.password", "hunter2", "db.pool.size", "3", "db.connect.timeout", "2s")));

    assertThat(settings.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/quorum");
    assertThat(settings.password()).isEqualTo("hunter2");
    assertThat(settings.maxPoolSize()).isEqualTo(3);
    assertThat(settings.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void without_a_url_postgresql_mode_is_not_configured_and_a_service_that_needs_it_is_told_the_key() {
    assertThat(DatabaseKeys.ifConfigured(parse(Map.of()))).isEmpty();
    assertThatThrownBy(() -> DatabaseKeys.from(parse(Map.of()))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("db.url is required").hasMessageContaining("QUORUM_DB_URL");
    assertThatThrownBy(() -> parse(Map.of("db.url", "postgres://db/quorum"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.url");
  }

  @Test
  void dsql_mode_always_verifies_the_server_certificate() {
    DatabaseSettings settings = DatabaseKeys.from(parse(dsql()));

    assertThat(settings.dialect()).isEqualTo(Dialect.DSQL);
    assertThat(settings.dsql().endpoints()).containsExactly("abc.dsql.eu-west-1.on.aws", "def.dsql.eu-west-2.on.aws:5432");
    assertThat(settings.dsql().sslMode()).isEqualTo("verify-full");
    assertThat(settings.maxLifetime()).isLessThan(Duration.ofMinutes(60));
  }

  @Test
  void there_is_no_key_that_turns_tls_off() {
    Map<String, String> raw = dsql();
    raw.put("db.dsql.sslmode", "disable");

    assertThatThrownBy(() -> parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key db.dsql.sslmode");
    assertThatThrownBy(() -> new DsqlSettings(List.of("h"), "us-east-1", "postgres", "require", Duration.ofMinutes(1)))
        .hasMessageContaining("verify-full");
  }

  @Test
  void dsql_mode_refuses_a_static_password_and_needs_endpoints_and_a_region() {
    Map<String, String> raw = dsql();
    raw.put("db.password", "static");
    assertThatThrownBy(() -> DatabaseKeys.from(parse(raw))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("db.password must not be set in dsql mode");

    raw.remove("db.password");
    raw.remove("db.dsql.region");
    assertThatThrownBy(() -> DatabaseKeys.ifConfigured(parse(raw))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.dsql.region");
  }

  @Test
  void the_retry_policy_comes_from_its_keys() {
    var retry = DatabaseKeys.retry(parse(Map.of("db.retry.max.attempts", "3", "db.retry.initial.backoff", "5ms")));

    assertThat(retry.maxAttempts()).isEqualTo(3);
    assertThat(retry.initialBackoff()).isEqualTo(Duration.ofMillis(5));
  }
}
