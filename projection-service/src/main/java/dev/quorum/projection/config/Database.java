package dev.quorum.projection.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.projection.domain.EventLog;
import dev.quorum.projection.jdbc.StoreEventLog;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.EventLookup;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.time.Duration;
import java.util.Optional;

/** The event log the projection reads, over a small connection pool; close it to release the pool. */
public final class Database implements AutoCloseable {
  /** Reads are short; this caps one read transaction, well under DSQL's 5 minutes. */
  private static final Duration READ_CAP = Duration.ofSeconds(60);

  private final HikariDataSource dataSource;
  private final EventLog log;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    TransactionRunner runner = new TransactionRunner(dataSource, RetryPolicy.DEFAULT, READ_CAP);
    this.log = new StoreEventLog(new JdbcEventStore(runner), new EventLookup(runner)::find);
  }

  /** The database of the configuration, or empty when none is configured. */
  public static Optional<Database> open(ProjectionConfig config) {
    if (config.database() == null) return Optional.empty();
    return Optional.of(new Database(DataSources.pooled(config.database(), "projection-reads")));
  }

  /** Like {@link #open} but failing with a message naming the key when no database is configured. */
  public static Database require(ProjectionConfig config) {
    return open(config).orElseThrow(() ->
        new ConfigException(ProjectionConfig.DB_URL.name() + " is required for this command"));
  }

  public EventLog log() {
    return log;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
