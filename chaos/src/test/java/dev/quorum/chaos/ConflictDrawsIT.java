package dev.quorum.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.junit.WithPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The suite counts the conflicts the injector raised by recomputing its draws: they must be the same draws. */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConflictDrawsIT {
  private static final long SEED = 977L;
  private static final double RATE = 0.2;

  @Test
  void the_recomputed_draws_count_exactly_the_commits_the_injector_failed(PostgresDatabase db) throws SQLException {
    // Given the injector at 20 % on a table
    DataSource ds = db.dataSource();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE incident_event (event_id uuid PRIMARY KEY)");
    }
    DsqlConflictInjector injector = DsqlConflictInjector.install(ds, RATE, SEED, "incident_event");

    // When 300 transactions insert a row each
    int failed = 0;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < 300; i++) {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO incident_event VALUES ('" + UUID.randomUUID() + "')");
          c.commit();
        } catch (SQLException e) {
          assertThat(e.getSQLState()).isEqualTo(DsqlConflictInjector.SQLSTATE);
          c.rollback();
          failed++;
        }
      }
    }

    // Then the recount from the number of decisions is the number of failed commits
    assertThat(injector.dataDecisions()).isEqualTo(300);
    assertThat(ConflictDraws.hits(SEED, "data", injector.dataDecisions(), RATE)).isEqualTo(failed).isPositive();
    injector.uninstall();
  }
}
