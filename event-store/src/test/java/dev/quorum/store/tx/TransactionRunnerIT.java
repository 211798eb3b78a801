package dev.quorum.store.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.StoreException;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.testing.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionRunnerIT {
  private static final RetryPolicy FAST = new RetryPolicy(12, Duration.ofMillis(1), Duration.ofMillis(10), 2.0, 0.5);

  private final PostgresDatabase database;
  private DataSource dataSource;
  private DsqlConflictInjector injector;

  TransactionRunnerIT(PostgresDatabase database) {
    this.database = database;
  }

  @BeforeEach
  void scratch_table() throws SQLException {
    dataSource = Databases.freshSchema(database);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE scratch (id integer PRIMARY KEY, note text)");
    }
  }

  @AfterEach
  void uninstall_injector() {
    if (injector != null) injector.uninstall();
  }

  @Test
  void runs_at_repeatable_read_and_commits() throws SQLException {
    TransactionRunner runner = new TransactionRunner(dataSource, FAST, Duration.ofSeconds(10));

    String isolation = runner.write("insert one", c -> {
      insert(c, 1, "one");
      return query(c, "SHOW transaction_isolation");
    });

    assertThat(isolation).isEqualTo("repeatable read");
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void in_dsql_mode_no_isolation_statement_is_sent_because_snapshot_isolation_is_the_only_level() {
    // PostgreSQL's default shows through: the runner asked for nothing
    TransactionRunner runner = new TransactionRunner(dataSource, FAST, Duration.ofSeconds(10), Dialect.DSQL);

    String isolation = runner.read("show isolation", c -> query(c, "SHOW transaction_isolation"));

    assertThat(isolation).isEqualTo("read committed");
  }

  @Test
  void injected_oc000_conflicts_are_retried_until_every_transaction_commits() throws SQLException {
    // Given 30% of the transactions that write scratch fail at commit with OC000
    injector = DsqlConflictInjector.install(dataSource, 0.3, 2026, "scratch");
    TransactionRunner runner = new TransactionRunner(dataSource, FAST, Duration.ofSeconds(10));

    // When 40 transactions run
    for (int i = 0; i < 40; i++) {
      int id = i;
      runner.write("insert " + id, c -> insert(c, id, "row " + id));
    }

    // Then all committed exactly once, and the failed attempts were retried
    assertThat(count()).isEqualTo(40);
    assertThat(runner.stats().retries()).isPositive();
    assertThat(runner.stats().attempts()).isEqualTo(40 + runner.stats().retries());
    assertThat(injector.dataDecisions()).isEqualTo(runner.stats().attempts());
  }

  @Test
  void gives_up_after_the_configured_attempts_and_leaves_nothing_behind() throws SQLException {
    // Given every transaction fails with OC000, and four attempts are allowed
    injector = DsqlConflictInjector.install(dataSource, 1.0, 1, "scratch");
    TransactionRunner runner = new TransactionRunner(dataSource, FAST.withMaxAttempts(4), Duration.ofSeconds(10));
    AtomicInteger calls = new AtomicInteger();

    // When a transaction runs, Then it fails as unavailable after four attempts
    assertThatThrownBy(() -> runner.write("insert doomed", c -> {
      calls.incrementAndGet();
      return insert(c, 1, "doomed");
    })).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.isUnavailable()).isTrue();
      assertThat(e.attempts()).isEqualTo(4);
      assertThat(e.sqlState()).isEqualTo("40001");
      assertThat(e).hasMessageStartingWith("insert doomed failed after 4 attempt(s)");
    });
    assertThat(calls).hasValue(4);
    assertThat(runner.stats().exhausted()).isEqualTo(1);
    assertThat(count()).isZero();
  }

  @Test
  void a_value_the_database_refuses_is_a_record_error_and_is_not_retried() {
    TransactionRunner runner = new TransactionRunner(dataSource, FAST, Duration.ofSeconds(10));
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> runner.write("insert a NUL", c -> {
      calls.incrementAndGet();
      return insert(c, 1, "nul \u0000 inside");
    })).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.RECORD);
      assertThat(e.sqlState()).startsWith("22");
    });
    assertThat(calls).hasValue(1);
  }

  @Test
  void a_programming_error_fails_fast() {
    TransactionRunner runner = new TransactionRunner(dataSource, FAST, Duration.ofSeconds(10));

    assertThatThrownBy(() -> runner.read("select from nowhere", c -> query(c, "SELECT * FROM no_such_table")))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
          assertThat(e.attempts()).isEqualTo(1);
          assertThat(e.sqlState()).isEqualTo("42P01");
        });
  }

  @Test
  void a_transaction_that_outlives_its_time_cap_is_cut_off_and_counted_as_retryable() throws SQLException {
    // Given a cap of 1 s and work that sleeps 3 s inside the database
    TransactionRunner runner = new TransactionRunner(dataSource, FAST.withMaxAttempts(2), Duration.ofSeconds(1));

    assertThatThrownBy(() -> runner.write("slow insert", c -> {
      insert(c, 1, "slow");
      return query(c, "SELECT pg_sleep(3)::text");
    })).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isUnavailable()).isTrue());
    assertThat(count()).isZero();
  }

  private static int insert(Connection c, int id, String note) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO scratch (id, note) VALUES (?, ?)")) {
      insert.setInt(1, id);
      insert.setString(2, note);
      return insert.executeUpdate();
    }
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private int count() {
    return Databases.count(dataSource, "SELECT count(*) FROM scratch");
  }
}
