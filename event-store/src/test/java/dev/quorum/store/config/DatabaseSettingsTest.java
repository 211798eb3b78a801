package dev.quorum.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.store.jdbc.Dialect;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DatabaseSettingsTest {

  @Test
  void the_password_never_shows_in_its_text() {
    assertThat(DatabaseSettings.postgres("jdbc:postgresql://db/quorum", "quorum", "hunter2").toString())
        .contains("password=****").doesNotContain("hunter2");
  }

  @Test
  void dsql_mode_has_no_static_password_and_connections_live_under_an_hour() {
    DsqlSettings dsql = DsqlSettings.of(List.of("abc.dsql.us-east-1.on.aws"), "us-east-1");

    assertThat(DatabaseSettings.dsql(dsql, "admin").maxLifetime()).isLessThan(Duration.ofMinutes(60));
    assertThatThrownBy(() -> new DatabaseSettings(Dialect.DSQL, null, "admin", "secret", 4,
        Duration.ofSeconds(10), Duration.ofMinutes(50), dsql)).hasMessageContaining("no static password");
    assertThatThrownBy(() -> new DatabaseSettings(Dialect.DSQL, null, "admin", null, 4,
        Duration.ofSeconds(10), Duration.ofMinutes(59), dsql)).hasMessageContaining("60-minute");
    assertThatThrownBy(() -> DsqlSettings.of(List.of(), "us-east-1")).hasMessageContaining("endpoint");
  }
}
