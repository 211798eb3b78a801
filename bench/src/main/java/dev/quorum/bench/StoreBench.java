package dev.quorum.bench;

import dev.quorum.event.Event;
import dev.quorum.event.Ids;
import dev.quorum.event.testing.Catalogue;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event log's write path on a real PostgreSQL, as ratios: batched appends against one event per
 * transaction, and batched appends under DSQL-style commit conflicts (30% of transactions fail with
 * OC000 and are retried whole) against the same batches without conflicts.
 */
public final class StoreBench {
  private StoreBench() {}

  public static List<Harness.Result> run(Harness harness, int eventsPerRound, int batchSize) {
    List<Harness.Result> results = new ArrayList<>();
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().build().start()) {
      PostgresDatabase plain = server.newDatabase("bench_plain");
      PostgresDatabase conflicted = server.newDatabase("bench_conflicts");
      RetryPolicy retries = RetryPolicy.DEFAULT.withMaxAttempts(30);
      EventStore plainStore = store(plain, retries);
      EventStore conflictStore = store(conflicted, retries);
      DsqlConflictInjector.install(conflicted.dataSource(), 0.3, 42L, "incident_event", "incident");
      AtomicLong offsets = new AtomicLong();

      results.add(harness.compare("append, batches of " + batchSize, "one event per transaction",
          () -> append(plainStore, events(eventsPerRound / 10), 1, offsets),
          () -> append(plainStore, events(eventsPerRound), batchSize, offsets)));
      results.add(harness.compare("append under 30% OC000 conflicts", "no conflicts",
          () -> append(plainStore, events(eventsPerRound), batchSize, offsets),
          () -> append(conflictStore, events(eventsPerRound), batchSize, offsets)));
    }
    return results;
  }

  private static EventStore store(PostgresDatabase database, RetryPolicy retries) {
    TransactionRunner runner = new TransactionRunner(database.dataSource(), retries, Duration.ofSeconds(30));
    new Migrator(database.dataSource(), Dialect.POSTGRESQL, runner).migrate();
    return new JdbcEventStore(runner);
  }

  /** A burst of actions on a handful of incidents, as during an outage. */
  private static List<Event> events(int count) {
    List<UUID> incidents = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(Event.of(Ids.newEventId(), "bench/store", incidents.get(i % incidents.size()), Instant.now(),
          "user:bench", i % 3 == 0 ? Catalogue.note("update " + i) : Catalogue.ack()));
    }
    return events;
  }

  private static long append(EventStore store, List<Event> events, int batchSize, AtomicLong offsets) {
    for (int from = 0; from < events.size(); from += batchSize) {
      List<Incoming> batch = new ArrayList<>(batchSize);
      for (Event event : events.subList(from, Math.min(events.size(), from + batchSize))) {
        batch.add(new Incoming(event, Instant.now(), 0, offsets.getAndIncrement()));
      }
      store.append(batch);
    }
    return events.size();
  }
}
