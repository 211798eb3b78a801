package dev.quorum.export.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.event.Event;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.export.domain.Cut;
import dev.quorum.export.domain.EventPages;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The events of a cut, read from the event log in pages ordered by incident ({@link JdbcEventStore#scanByIncident}),
 * each page a short read transaction of its own. Connects as every service does ({@link DataSources#pooled}: a
 * password in PostgreSQL mode, an IAM token per connection in DSQL mode); close it to release the pool.
 */
public final class StorePages implements EventPages, AutoCloseable {
  /** One page's read is short; this caps it well under DSQL's 5 minutes per transaction. */
  private static final Duration READ_CAP = Duration.ofSeconds(60);

  private final HikariDataSource pool;
  private final JdbcEventStore store;
  private final Cut cut;

  private StorePages(HikariDataSource pool, JdbcEventStore store, Cut cut) {
    this.pool = pool;
    this.store = Objects.requireNonNull(store, "store");
    this.cut = Objects.requireNonNull(cut, "cut");
  }

  /** Pages of the cut from the database of the settings. */
  public static StorePages open(DatabaseSettings settings, RetryPolicy retry, Cut cut) {
    HikariDataSource pool = DataSources.pooled(settings, "export-reads");
    return new StorePages(pool, new JdbcEventStore(new TransactionRunner(pool, retry, READ_CAP, settings.dialect())), cut);
  }

  /** Pages of the cut from a store the caller owns (tests). */
  public static StorePages over(JdbcEventStore store, Cut cut) {
    return new StorePages(null, store, cut);
  }

  @Override
  public long count() {
    return store.countKnown(cut.occurredBy(), cut.recordedBy());
  }

  @Override
  public List<Event> page(UUID afterIncident, OrderKey after, int limit) {
    return store.scanByIncident(afterIncident, after, cut.occurredBy(), cut.recordedBy(), limit);
  }

  @Override
  public void close() {
    if (pool != null) pool.close();
  }
}
