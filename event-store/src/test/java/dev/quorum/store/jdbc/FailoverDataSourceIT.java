package dev.quorum.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.AppendResult;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.config.DsqlSettings;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.store.tx.ErrorKind;
import dev.quorum.store.tx.RetryClassification;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** DSQL-mode connections against PostgreSQL: TLS off, the database password standing in for the IAM token. */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FailoverDataSourceIT {
  private final PostgresDatabase database;
  private final String live;
  private final String dbName;
  private final List<String> minted = Collections.synchronizedList(new ArrayList<>());

  FailoverDataSourceIT(PostgresDatabase database) {
    this.database = database;
    URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
    this.live = uri.getHost() + ":" + uri.getPort();
    this.dbName = uri.getPath().substring(1);
  }

  private final AuthTokens tokens = this::mint;

  private String mint(String host, String user) {
    minted.add(host);
    return database.password();
  }

  @Test
  void a_new_connection_fails_over_to_the_next_endpoint_and_stays_there() throws Exception {
    // Given a first endpoint that refuses connections and a second that works
    String dead = "127.0.0.1:" + closedPort();
    FailoverDataSource dataSource = DataSources.failover(settings(List.of(dead, live)), database.username(), tokens, 2);

    // When two connections are opened
    try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
      // Then both work; the first tried both endpoints with a token each, the second went straight to the live one
      assertThat(first.isValid(2)).isTrue();
      assertThat(second.isValid(2)).isTrue();
    }
    assertThat(minted).containsExactly("127.0.0.1", "127.0.0.1", "127.0.0.1");
  }

  @Test
  void when_no_endpoint_answers_the_error_is_a_retryable_connection_error() throws Exception {
    FailoverDataSource dataSource = DataSources.failover(
        settings(List.of("127.0.0.1:" + closedPort(), "127.0.0.1:" + closedPort())), database.username(), tokens, 2);

    assertThatThrownBy(dataSource::getConnection).isInstanceOfSatisfying(SQLTransientConnectionException.class, e -> {
      assertThat(e.getSQLState()).isEqualTo("08001");
      assertThat(e.getSuppressed()).hasSize(1);
      assertThat(RetryClassification.classify(e)).isEqualTo(ErrorKind.RETRYABLE);
    });
  }

  @Test
  void an_endpoint_that_refuses_the_role_fails_the_connection_without_trying_the_next() throws Exception {
    // Given a role that may not log in, and two endpoints that both answer
    try (Connection admin = database.dataSource().getConnection(); var statement = admin.createStatement()) {
      statement.execute("DO $$ BEGIN CREATE ROLE quorum_locked NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }
    FailoverDataSource dataSource = DataSources.failover(settings(List.of(live, live)), "quorum_locked", tokens, 2);

    // When a connection is asked for, Then the server's refusal surfaces as it is, after one endpoint
    assertThatThrownBy(dataSource::getConnection)
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"))
        .isNotInstanceOf(SQLTransientConnectionException.class);
    assertThat(minted).hasSize(1);
  }

  @Test
  void a_missing_database_fails_the_connection_without_trying_the_next_endpoint() throws Exception {
    FailoverDataSource dataSource = DataSources.failover(
        new DsqlSettings(List.of(live, live), "us-east-1", "no_such_database", DsqlSettings.TEST_WITHOUT_TLS,
            Duration.ofMinutes(15)), database.username(), tokens, 2);

    assertThatThrownBy(dataSource::getConnection)
        .isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo("3D000");
          assertThat(RetryClassification.classify(e)).isEqualTo(ErrorKind.FATAL);
        });
    assertThat(minted).hasSize(1);
  }

  @Test
  void a_dsql_mode_pool_mints_a_token_per_physical_connection_and_serves_the_store() throws Exception {
    // Given a DSQL-mode pool of two connections over a dead and a live endpoint
    DatabaseSettings settings = new DatabaseSettings(Dialect.DSQL, null, database.username(), null, 2,
        Duration.ofSeconds(5), Duration.ofMinutes(50), settings(List.of("127.0.0.1:" + closedPort(), live)));
    try (HikariDataSource pool = DataSources.pooled(settings, "dsql-test", tokens)) {
      TransactionRunner runner = new TransactionRunner(pool, RetryPolicy.DEFAULT, Duration.ofSeconds(30));

      // When the schema is migrated and events appended through it
      Connection a = pool.getConnection();
      Connection b = pool.getConnection();
      a.close();
      b.close();
      new Migrator(pool, Dialect.POSTGRESQL, runner).migrate();
      AppendResult result = new JdbcEventStore(runner).append(List.of(TestEvents.incoming(TestEvents.note(UUID.randomUUID(), "via dsql mode"))));

      // Then it works, and no physical connection was opened without a token of its own
      assertThat(result.inserted()).hasSize(1);
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(2);
      assertThat(minted.size()).isGreaterThanOrEqualTo(pool.getHikariPoolMXBean().getTotalConnections());
    }
  }

  private DsqlSettings settings(List<String> endpoints) {
    return new DsqlSettings(endpoints, "us-east-1", dbName, DsqlSettings.TEST_WITHOUT_TLS, Duration.ofMinutes(15));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
