package dev.quorum.store.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.StoreException;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.tx.ErrorKind;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.net.ServerSocket;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Through the real pool, a database that answers and refuses is fatal at once, while one that does
 * not answer is retried: the pool wraps both in the same transient "connection not available" error.
 */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PooledRefusalIT {
  private static final RetryPolicy PATIENT = new RetryPolicy(50, Duration.ofMillis(1), Duration.ofMillis(5), 2.0, 0.5);

  private final PostgresDatabase database;

  PooledRefusalIT(PostgresDatabase database) {
    this.database = database;
  }

  @Test
  void a_role_the_server_refuses_is_fatal_on_the_first_attempt() {
    assertRefusedAtOnce(database.jdbcUrl(), "no_such_role", "28");
  }

  @Test
  void a_missing_database_is_fatal_on_the_first_attempt() {
    String url = database.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/no_such_database$1");
    assertRefusedAtOnce(url, database.username(), "3D000");
  }

  @Test
  void a_server_that_does_not_answer_is_retried_until_the_attempts_run_out() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/quorum";
    try (HikariDataSource pool = pool(url, database.username())) {
      TransactionRunner runner = new TransactionRunner(pool, new RetryPolicy(3, Duration.ofMillis(1),
          Duration.ofMillis(5), 2.0, 0.5), Duration.ofSeconds(30));

      assertThatThrownBy(() -> runner.read("check", connection -> connection.isValid(1)))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RETRYABLE);
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e).hasRootCauseInstanceOf(java.net.ConnectException.class);
          });
    }
  }

  private void assertRefusedAtOnce(String url, String username, String sqlStatePrefix) {
    try (HikariDataSource pool = pool(url, username)) {
      TransactionRunner runner = new TransactionRunner(pool, PATIENT, Duration.ofSeconds(30));

      assertThatThrownBy(() -> runner.read("check", connection -> connection.isValid(1)))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.sqlState()).startsWith(sqlStatePrefix);
            assertThat(e).hasCauseInstanceOf(SQLTransientConnectionException.class);
          });
    }
  }

  private HikariDataSource pool(String url, String username) {
    return DataSources.pooled(new DatabaseSettings(Dialect.POSTGRESQL, url, username, database.password(), 1,
        Duration.ofMillis(1500), Duration.ofMinutes(30), null), "refusal-test");
  }

  private static int closedPort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
