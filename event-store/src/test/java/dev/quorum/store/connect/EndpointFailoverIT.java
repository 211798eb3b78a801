package dev.quorum.store.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.store.jdbc.AuthTokens;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Two PostgreSQL servers as the two endpoints of a multi-region DSQL cluster: a pool that loses the
 * first moves to the second and stays there.
 */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EndpointFailoverIT {
  private final AtomicInteger minted = new AtomicInteger();

  @Test
  void a_pool_that_loses_its_endpoint_fails_over_to_the_next_and_stays_there_after_the_first_is_back(
      EmbeddedPostgres first, EmbeddedPostgres second) throws Exception {
    // Given both endpoints with the same table in their postgres database, as the peers of a multi-region cluster have
    for (PostgresDatabase database : List.of(first, second)) {
      execute(database, "CREATE TABLE probe (id uuid PRIMARY KEY, server_port int NOT NULL)");
    }
    AuthTokens tokens = (host, user) -> {
      minted.incrementAndGet();
      return first.password();
    };
    var settings = TestEndpoints.dsqlOverPlainPostgres(List.of(TestEndpoints.endpoint(first), TestEndpoints.endpoint(second)),
        "postgres", first.username(), 2);

    try (HikariDataSource pool = DataSources.pooled(settings, "failover-it", tokens)) {
      TransactionRunner runner = new TransactionRunner(pool, RetryPolicy.DEFAULT, Duration.ofSeconds(30));
      UUID before = UUID.randomUUID();
      UUID during = UUID.randomUUID();
      UUID after = UUID.randomUUID();
      assertThat(insert(runner, before)).isEqualTo(first.port());

      // When the first endpoint goes away, a write is retried on the next one, twice: idempotent, once stored
      first.stop();
      assertThat(insert(runner, during)).isEqualTo(second.port());
      assertThat(insert(runner, during)).isEqualTo(second.port());

      // and the first comes back while the pool replaces every connection it holds
      first.start();
      int mintedBeforeRefill = minted.get();
      pool.getHikariPoolMXBean().softEvictConnections();
      List<Integer> ports = new ArrayList<>();
      try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
        ports.add(serverPort(a));
        ports.add(serverPort(b));
      }
      int afterPort = insert(runner, after);

      // Then new physical connections went to the second endpoint, and each write landed once where it was sent
      assertThat(minted.get()).isGreaterThan(mintedBeforeRefill);
      assertThat(ports).containsOnly(second.port());
      assertThat(afterPort).isEqualTo(second.port());
      assertThat(ids(first)).containsExactly(before.toString());
      assertThat(ids(second)).containsExactlyInAnyOrder(during.toString(), after.toString());
    }
  }

  /** Stores one probe row idempotently and says which server took the transaction. */
  private static int insert(TransactionRunner runner, UUID id) {
    return runner.write("insert probe " + id, connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO probe (id, server_port) VALUES (?, current_setting('port')::int) ON CONFLICT DO NOTHING")) {
        insert.setObject(1, id);
        insert.executeUpdate();
      }
      return serverPort(connection);
    });
  }

  private static int serverPort(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT current_setting('port')::int")) {
      row.next();
      return row.getInt(1);
    }
  }

  private static List<String> ids(PostgresDatabase database) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT id FROM probe ORDER BY id")) {
      List<String> ids = new ArrayList<>();
      while (rows.next()) ids.add(rows.getString(1));
      return ids;
    }
  }

  private static void execute(PostgresDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
