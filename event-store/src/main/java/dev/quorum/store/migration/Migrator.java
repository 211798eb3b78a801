package dev.quorum.store.migration;

import dev.quorum.store.StoreException;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.tx.ErrorKind;
import dev.quorum.store.tx.TransactionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the latest schema: each migration's DDL in a transaction of its own, then its
 * history row in another (DSQL never mixes DDL and DML), each retried on conflicts such as OC001.
 *
 * <p>Every DDL is idempotent ({@code IF NOT EXISTS}), so a crash between a DDL and its history row
 * only means the DDL runs again, as a no-op. A database that is up to date sees no DDL at all.
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final TransactionRunner runner;
  private final List<Migration> migrations;

  public Migrator(DataSource dataSource, Dialect dialect, TransactionRunner runner) {
    this(dataSource, dialect, runner, Schema.MIGRATIONS);
  }

  public Migrator(DataSource dataSource, Dialect dialect, TransactionRunner runner, List<Migration> migrations) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.migrations = migrations.stream().sorted((a, b) -> Integer.compare(a.version(), b.version())).toList();
    if (new TreeSet<>(this.migrations.stream().map(Migration::version).toList()).size() != migrations.size()) {
      throw new IllegalArgumentException("two migrations share a version");
    }
  }

  /** Applies what is missing; returns the migrations applied by this call (empty when up to date). */
  public List<Migration> migrate() {
    if (!historyExists()) {
      ddl("creating the migration history", """
          CREATE TABLE IF NOT EXISTS schema_migration (
            version integer PRIMARY KEY,
            description text NOT NULL,
            applied_at timestamptz NOT NULL
          )""");
    }
    TreeSet<Integer> applied = new TreeSet<>(appliedVersions());
    List<Migration> done = new ArrayList<>();
    for (Migration migration : migrations) {
      if (applied.contains(migration.version())) continue;
      String what = "migration " + migration.version() + " (" + migration.description() + ")";
      String jobId = ddl(what, migration.sql(dialect));
      if (jobId != null) waitForJob(what, jobId);
      runner.write("recording " + what, connection -> {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO schema_migration (version, description, applied_at) VALUES (?, ?, now())"
                + " ON CONFLICT (version) DO NOTHING")) {
          insert.setInt(1, migration.version());
          insert.setString(2, migration.description());
          return insert.executeUpdate();
        }
      });
      LOG.info("applied {}", what);
      done.add(migration);
    }
    return done;
  }

  /** The versions recorded in the history table, ascending; empty when there is no history yet. */
  public List<Integer> appliedVersions() {
    if (!historyExists()) return List.of();
    return runner.read("reading the migration history", connection -> {
      List<Integer> versions = new ArrayList<>();
      try (Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT version FROM schema_migration ORDER BY version")) {
        while (rows.next()) versions.add(rows.getInt(1));
      }
      return versions;
    });
  }

  private boolean historyExists() {
    return runner.read("looking for the migration history", connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?")) {
        query.setString(1, Schema.HISTORY_TABLE);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  /** Runs one DDL statement alone in its transaction; returns the job id of an asynchronous index build. */
  private String ddl(String what, String sql) {
    return runner.write(what, connection -> {
      try (Statement statement = connection.createStatement()) {
        if (statement.execute(sql)) {
          try (ResultSet rows = statement.getResultSet()) {
            return rows.next() ? rows.getString(1) : null;
          }
        }
        return null;
      }
    });
  }

  /** DSQL builds an index after its DDL commits; the schema is only in place once the job is done. */
  private void waitForJob(String what, String jobId) {
    // Outside the runner: an index build may take longer than any transaction's time cap.
    try (Connection connection = dataSource.getConnection();
         PreparedStatement wait = connection.prepareStatement("SELECT sys.wait_for_job(?)")) {
      connection.setAutoCommit(true);
      wait.setString(1, jobId);
      try (ResultSet rows = wait.executeQuery()) {
        if (!rows.next() || !rows.getBoolean(1)) {
          throw new StoreException(what + ": index build job " + jobId + " failed (see sys.jobs)",
              null, ErrorKind.FATAL, null, 1);
        }
      }
    } catch (SQLException e) {
      throw new StoreException(what + ": waiting for index build job " + jobId + " failed: " + e.getMessage(),
          e, ErrorKind.FATAL, e.getSQLState(), 1);
    }
  }
}
