package dev.quorum.projection.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Topics;
import dev.quorum.kit.config.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionConfigTest {

  @Test
  void only_the_bootstrap_servers_are_required_and_the_rest_has_defaults() {
    ProjectionConfig config = ProjectionConfig.parse(Map.of("kafka.bootstrap.servers", "k:9092"));

    assertThat(config.topics().committed()).isEqualTo(Topics.COMMITTED);
    assertThat(config.topics().incidents()).isEqualTo(Topics.INCIDENTS);
    assertThat(config.asOfSettle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.advertised()).isEqualTo(new HostInfo("localhost", 8083));
    assertThat(config.database()).isNull();
  }

  @Test
  void a_missing_required_key_is_named() {
    assertThatThrownBy(() -> ProjectionConfig.parse(Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("kafka.bootstrap.servers is required");
  }

  @Test
  void a_bad_value_is_named_with_its_key_and_a_secret_is_never_shown() {
    Map<String, String> raw = new HashMap<>(Map.of("kafka.bootstrap.servers", "k:9092", "projection.http.port", "99999"));
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageContaining("projection.http.port must be in [0, 65535], was 99999");

    raw.put("projection.http.port", "8080");
    raw.put("db.url", "mysql://nope");
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageContaining("db.url");

    raw.put("db.url", "jdbc:postgresql://db/quorum");
    raw.put("db.password", "hunter2");
    raw.put("projection.streams.sasl.jaas.config", "secret-module");
    assertThat(ProjectionConfig.parse(raw).toString()).doesNotContain("hunter2", "secret-module").contains("db.password = ****");
  }

  @Test
  void a_misspelt_projection_key_is_refused_but_other_components_keys_are_left_alone() {
    Map<String, String> raw = Map.of("kafka.bootstrap.servers", "k:9092", "projection.htpp.port", "1",
        "writer.group.id", "w");
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageStartingWith("unknown configuration key projection.htpp.port");
    assertThat(ProjectionConfig.parse(Map.of("kafka.bootstrap.servers", "k:9092", "writer.group.id", "w"))).isNotNull();
  }

  @Test
  void dsql_mode_takes_endpoints_and_a_region_and_refuses_a_password() {
    Map<String, String> raw = new HashMap<>(Map.of("kafka.bootstrap.servers", "k:9092", "db.dialect", "dsql",
        "db.dsql.endpoints", "abc.dsql.eu-west-1.on.aws,abc.dsql.eu-west-2.on.aws", "db.dsql.region", "eu-west-1"));

    ProjectionConfig config = ProjectionConfig.parse(raw);
    assertThat(config.database().dsql().endpoints()).hasSize(2);
    assertThat(config.database().password()).isNull();

    raw.put("db.password", "static");
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageContaining("db.password must not be set in dsql mode");
    raw.remove("db.password");
    raw.remove("db.dsql.region");
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageContaining("db.dsql.region are required");
  }

  @Test
  void durations_read_short_and_iso_forms_and_streams_settings_pass_through() {
    ProjectionConfig config = ProjectionConfig.parse(Map.of("kafka.bootstrap.servers", "k:9092",
        "db.transaction.cap", "2m", "projection.http.peer.timeout", "500ms",
        "projection.streams.num.standby.replicas", "2", "projection.http.advertised", "proj-1.svc:9000"));

    assertThat(config.asOfSettle()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.peerTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.streamsOverrides()).containsEntry("num.standby.replicas", "2");
    assertThat(config.advertised()).isEqualTo(new HostInfo("proj-1.svc", 9000));
  }

  @Test
  void later_sources_win_file_then_environment_then_system_then_command_line() {
    Properties system = new Properties();
    system.setProperty("projection.http.port", "3");
    system.setProperty("unrelated.key", "x");
    system.setProperty("kafka.bootstrap.servers", "k:9092");
    ProjectionConfig config = ProjectionConfig.load(null,
        Map.of("QUORUM_PROJECTION_HTTP_PORT", "2", "QUORUM_DB_URL", "jdbc:postgresql://env/db",
            "QUORUM_PROJECTION_STREAMS_NUM_STANDBY_REPLICAS", "1", "PATH", "/bin"),
        system, Map.of("projection.http.host", "127.0.0.1"));

    assertThat(config.httpPort()).isEqualTo(3);
    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://env/db");
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.streamsOverrides()).containsEntry("num.standby.replicas", "1");
  }
}
