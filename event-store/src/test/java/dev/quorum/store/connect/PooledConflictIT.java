package dev.quorum.store.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A DSQL conflict is the transaction's failure, not the connection's: the pool keeps the connection
 * that saw it, in both modes.
 */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PooledConflictIT {
  private final PostgresDatabase database;

  PooledConflictIT(PostgresDatabase database) throws SQLException {
    this.database = database;
    try (Connection connection = database.dataSource().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS probe (id int PRIMARY KEY)");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_conflict_at_commit_leaves_the_connection_in_the_pool(Dialect dialect) throws SQLException {
    // Given a pool of one connection and a database that fails every commit touching probe with OC000
    DsqlConflictInjector conflicts = DsqlConflictInjector.install(database.dataSource(), 1.0, 7L, "probe");
    try (HikariDataSource pool = poolOfOne(dialect)) {
      int backend;
      try (Connection connection = pool.getConnection()) {
        backend = backendPid(connection);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
          statement.executeUpdate("INSERT INTO probe (id) VALUES (1)");
        }

        // When the commit conflicts
        assertThatThrownBy(connection::commit).isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo(DsqlConflictInjector.SQLSTATE);
          assertThat(e.getMessage()).contains("OC000");
        });
      }

      // Then the next transaction runs on the same physical connection, and the pool never opened another
      try (Connection connection = pool.getConnection()) {
        assertThat(backendPid(connection)).isEqualTo(backend);
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    } finally {
      conflicts.uninstall();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {DsqlConflictInjector.DATA_CONFLICT, DsqlConflictInjector.SCHEMA_CONFLICT})
  void a_conflict_raised_by_a_statement_leaves_the_connection_in_the_pool(String message) throws SQLException {
    try (HikariDataSource pool = poolOfOne(Dialect.DSQL)) {
      int before = backendPidAfterRaising(pool, DsqlConflictInjector.SQLSTATE, message);

      try (Connection connection = pool.getConnection()) {
        assertThat(backendPid(connection)).isEqualTo(before);
      }
    }
  }

  @Test
  void an_error_that_means_the_server_dropped_the_session_does_replace_the_connection() throws SQLException {
    // 57P01 (admin shutdown) is one of the states on which the pool evicts: the probe above can see an eviction
    try (HikariDataSource pool = poolOfOne(Dialect.DSQL)) {
      int before = backendPidAfterRaising(pool, "57P01", "terminating connection due to administrator command");

      try (Connection connection = pool.getConnection()) {
        assertThat(backendPid(connection)).isNotEqualTo(before);
      }
    }
  }

  /** Raises an error with the given SQLSTATE on a pooled connection and returns that connection's server process. */
  private static int backendPidAfterRaising(HikariDataSource pool, String sqlState, String message) throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      int pid = backendPid(connection);
      String raise = "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '" + sqlState + "', MESSAGE = '" + message + "'; END $$";
      assertThatThrownBy(() -> statement.execute(raise)).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
      return pid;
    }
  }

  private HikariDataSource poolOfOne(Dialect dialect) {
    return switch (dialect) {
      case POSTGRESQL -> DataSources.pooled(new DatabaseSettings(Dialect.POSTGRESQL, database.jdbcUrl(),
          database.username(), database.password(), 1, Duration.ofSeconds(5), Duration.ofMinutes(50), null), "conflict-it");
      case DSQL -> DataSources.pooled(TestEndpoints.dsqlOverPlainPostgres(List.of(TestEndpoints.endpoint(database)),
          TestEndpoints.databaseName(database), database.username(), 1), "conflict-it", (host, user) -> database.password());
    };
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
      row.next();
      return row.getInt(1);
    }
  }
}
