package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Axis;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.kafka.KafkaWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The writer's database lanes on the real broker and database: two transactions store at once, never two
 * for one partition, each partition's batches in offset order, and the exact set still holds.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterLanesIT {
  private static final Duration PROCESSED = Duration.ofSeconds(60);

  private final KafkaBroker kafka;
  private final PostgresDatabase database;
  private WriterHarness harness;

  WriterLanesIT(KafkaBroker kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
  }

  @AfterEach
  void tear_down() {
    if (harness != null) harness.close();
  }

  @Test
  void two_lanes_store_at_once_never_one_partition_twice_and_each_partition_in_offset_order() throws Exception {
    // Given 800 events on 40 incidents over 4 partitions, waiting before the writer starts
    harness = new WriterHarness(kafka, database, 4);
    TransactionRunner runner = new TransactionRunner(harness.dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(30));
    new Migrator(harness.dataSource, Dialect.POSTGRESQL, runner).migrate();
    List<UUID> incidents = new ArrayList<>();
    for (int i = 0; i < 40; i++) incidents.add(UUID.randomUUID());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 800; i++) events.add(TestEvents.note(incidents.get(i % incidents.size()), "n" + i));
    harness.sendAll(events);

    // When the writer stores them with two lanes and small batches, watched at the store
    WriterConfig config = WriterConfig.parse(harness.config("0", Map.of("writer.batch.max.rows", "60", "writer.db.lanes", "2")));

    Watching store = new Watching(new JdbcEventStore(runner));
    KafkaWriter writer = new KafkaWriter(config.kafka(), new BatchProcessor(store)).start();
    try {
      harness.awaitAllProcessed(PROCESSED);
    } finally {
      writer.close();
    }

    // Then two transactions ran at once, never two of one partition, each partition's batches in order
    assertThat(store.mostAtOnce).isEqualTo(2);
    assertThat(store.problems).isEmpty();
    assertThat(store.batches).isGreaterThan(800 / 60);
    // and the exact set holds, with each partition's committed events in the order of their offsets
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(800);
    Map<Integer, Long> lastOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : harness.readCommitted(harness.committed)) {
      var stored = EventCodec.decode(record.value()).stored();
      Long before = lastOffset.put(stored.partition(), stored.offset());
      assertThat(before == null || before < stored.offset())
          .as("committed event of partition %d offset %d after offset %d", stored.partition(), stored.offset(), before)
          .isTrue();
    }
  }

  /**
   * The real store, watched: it holds the first transaction until another runs at once (10 s at most, so
   * a writer with one lane goes on, and fails the test), and notes any two transactions of one
   * partition at once and any partition's batch that does not follow the one before.
   */
  private static final class Watching implements EventStore {
    private final EventStore store;
    private final Set<Integer> active = new HashSet<>();
    private final Map<Integer, Long> lastOffset = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    int running;
    int mostAtOnce;
    boolean held;
    int batches;

    Watching(EventStore store) {
      this.store = store;
    }

    @Override
    public AppendResult append(List<Incoming> batch) {
      Set<Integer> partitions = new HashSet<>();
      synchronized (this) {
        batches++;
        for (Incoming incoming : batch) {
          partitions.add(incoming.partition());
          Long last = lastOffset.put(incoming.partition(), incoming.offset());
          if (last != null && last >= incoming.offset()) {
            problems.add("partition " + incoming.partition() + " offset " + incoming.offset() + " after " + last);
          }
        }
        for (int partition : partitions) {
          if (!active.add(partition)) problems.add("two transactions of partition " + partition + " at once");
        }
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        notifyAll();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
          // the first transaction waits for a second one (the other lane's)
          while (!held && mostAtOnce < 2 && System.nanoTime() < deadline) wait(100);
          held = true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        return store.append(batch);
      } finally {
        synchronized (this) {
          running--;
          active.removeAll(partitions);
        }
      }
    }

    @Override
    public List<Event> events(UUID incidentId) {
      return store.events(incidentId);
    }

    @Override
    public List<Event> eventsAsOf(UUID incidentId, Axis axis, Instant asOf) {
      return store.eventsAsOf(incidentId, axis, asOf);
    }

    @Override
    public Page scan(Position after, Instant until, int limit) {
      return store.scan(after, until, limit);
    }
  }
}
