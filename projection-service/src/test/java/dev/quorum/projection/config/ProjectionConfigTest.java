package dev.quorum.projection.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Topics;
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
    assertThat(config.dbUrl()).isNull();
  }

  @Test
  void a_missing_required_key_is_named() {
    assertThatThrownBy(() -> ProjectionConfig.parse(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("kafka.bootstrap.servers is required");
  }

  @Test
  void a_bad_value_is_named_with_its_key_and_a_secret_is_never_shown() {
    Map<String, String> raw = new HashMap<>(Map.of("kafka.bootstrap.servers", "k:9092", "projection.http.port", "99999"));
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageContaining("projection.http.port is invalid (\"99999\")");

    raw.put("projection.http.port", "8080");
    raw.put("db.url", "mysql://nope");
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageContaining("db.url");

    raw.put("db.url", "jdbc:postgresql://db/quorum");
    raw.put("db.password", "hunter2");
    raw.put("projection.streams.sasl.jaas.config", "secret-module");
    assertThat(ProjectionConfig.parse(raw).toString()).doesNotContain("hunter2", "secret-module").contains("db.password=****");
  }

  @Test
  void a_misspelt_projection_key_is_refused_but_other_components_keys_are_left_alone() {
    Map<String, String> raw = Map.of("kafka.bootstrap.servers", "k:9092", "projection.htpp.port", "1",
        "writer.group.id", "w");
    assertThatThrownBy(() -> ProjectionConfig.parse(raw)).hasMessageStartingWith("projection.htpp.port is not a projection setting");
    assertThat(ProjectionConfig.parse(Map.of("kafka.bootstrap.servers", "k:9092", "writer.group.id", "w"))).isNotNull();
  }

  @Test
  void durations_read_short_and_iso_forms_and_streams_settings_pass_through() {
    ProjectionConfig config = ProjectionConfig.parse(Map.of("kafka.bootstrap.servers", "k:9092",
        "db.transaction.cap", "2m", "projection.http.peer.timeout", "PT0.5S",
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
    Map<String, String> merged = ConfigSources.collect(null,
        Map.of("QUORUM_PROJECTION_HTTP_PORT", "2", "QUORUM_DB_URL", "jdbc:postgresql://env/db", "PATH", "/bin"),
        system, Map.of("projection.http.host", "127.0.0.1"));

    assertThat(merged).containsEntry("projection.http.port", "3").containsEntry("db.url", "jdbc:postgresql://env/db")
        .containsEntry("projection.http.host", "127.0.0.1").doesNotContainKeys("unrelated.key", "path");
  }
}
