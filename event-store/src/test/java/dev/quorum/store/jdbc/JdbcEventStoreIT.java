package dev.quorum.store.jdbc;

import static dev.quorum.store.testing.TestEvents.T0;
import static dev.quorum.store.testing.TestEvents.incoming;
import static dev.quorum.store.testing.TestEvents.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Axis;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.Outcome;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.StoreException;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcEventStoreIT {
  private static final RetryPolicy FAST = new RetryPolicy(12, Duration.ofMillis(1), Duration.ofMillis(20), 2.0, 0.5);

  private final PostgresDatabase database;
  private DataSource dataSource;
  private TransactionRunner runner;
  private EventStore store;
  private DsqlConflictInjector injector;

  JdbcEventStoreIT(PostgresDatabase database) {
    this.database = database;
  }

  @BeforeEach
  void migrated_store() {
    dataSource = Databases.freshSchema(database);
    runner = new TransactionRunner(dataSource, FAST, Duration.ofSeconds(30));
    new Migrator(dataSource, Dialect.POSTGRESQL, runner).migrate();
    store = new JdbcEventStore(runner);
  }

  @AfterEach
  void uninstall_injector() {
    if (injector != null) injector.uninstall();
  }

  @Test
  void new_events_are_inserted_and_come_back_exactly_as_stored() {
    UUID incident = UUID.randomUUID();
    List<Incoming> batch = List.of(incoming(TestEvents.triggered(incident)), incoming(note(incident, "looking")),
        incoming(TestEvents.unknown(incident)));

    AppendResult result = store.append(batch);

    assertThat(result.outcomes()).allMatch(o -> o instanceof Outcome.Inserted);
    for (int i = 0; i < batch.size(); i++) {
      Event stored = result.outcomes().get(i).stored();
      Incoming delivered = batch.get(i);
      assertThat(EventCodec.sameContent(stored, delivered.event())).isTrue();
      assertThat(stored.stored().ingestedAt()).isEqualTo(delivered.ingestedAt());
      assertThat(stored.stored().offset()).isEqualTo(delivered.offset());
      assertThat(stored.stored().recordedAt()).isNotNull();
    }
    assertThat(store.events(incident)).containsExactlyElementsOf(
        result.outcomes().stream().map(Outcome::stored).toList());
  }

  @Test
  void data_in_any_script_and_an_unknown_type_without_data_store_read_back_and_compare_exactly() {
    // Given notes in several scripts (two-, three- and four-byte UTF-8, an escaped quote and backslash) and
    // an unknown type with no data at all: the data column travels as UTF-8 bytes written off the database thread
    UUID incident = UUID.randomUUID();
    List<Incoming> batch = List.of(incoming(note(incident, "Größe überschritten — 東京 🔥 \"quoted\" \\ done")),
        incoming(Event.of(UUID.randomUUID(), "test/unit", incident, TestEvents.T0, "system:future",
            new EventData.Unknown("quorum.runbook.unlinked", null))),
        incoming(note(incident, "plain ascii")));

    // When stored, then stored again (every id a duplicate, compared column by column against the row)
    AppendResult first = store.append(batch);
    AppendResult again = store.append(batch);

    // Then the log holds each event as delivered, and the second time each is a duplicate, not a conflict
    assertThat(first.outcomes()).allMatch(o -> o instanceof Outcome.Inserted);
    assertThat(again.outcomes()).allMatch(o -> o instanceof Outcome.Duplicate);
    List<Event> read = store.events(incident);
    for (Incoming delivered : batch) {
      assertThat(read).anySatisfy(e -> {
        assertThat(e.id()).isEqualTo(delivered.event().id());
        assertThat(EventCodec.canonical(e)).isEqualTo(EventCodec.canonical(delivered.event()));
      });
    }
    assertThat(again.outcomes().stream().map(Outcome::stored).toList()).containsExactlyInAnyOrderElementsOf(read);
  }

  @Test
  void an_unknown_type_is_stored_with_its_data_untouched() {
    Event unknown = TestEvents.unknown(UUID.randomUUID());

    Event stored = store.append(List.of(incoming(unknown))).outcomes().getFirst().stored();

    assertThat(stored.type()).isEqualTo("quorum.runbook.linked");
    assertThat(EventCodec.canonical(stored)).isEqualTo(EventCodec.canonical(unknown));
  }

  @Test
  void a_row_an_older_build_stored_as_unknown_reads_back_tolerantly_once_its_type_is_known() {
    // Given a row an older build stored: a type it did not know yet, with data this build's decoder
    // of that type refuses (a note without text)
    UUID incident = UUID.randomUUID();
    ObjectNode oldShape = JsonNodeFactory.instance.objectNode().put("body", "written before notes had text");
    Event older = Event.of(UUID.randomUUID(), "test/unit", incident, T0, "user:alice",
        new EventData.Unknown(EventData.NoteAdded.TYPE, oldShape));
    store.append(List.of(incoming(older)));

    // When a redelivery of that id reaches the store, and the incident is read
    AppendResult redelivered = store.append(List.of(incoming(TestEvents.withText(older, "now with text"))));
    List<Event> events = store.events(incident);

    // Then nothing throws: the stored row stands as an unknown event of its type, with its data verbatim
    assertThat(redelivered.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.stored().data()).isEqualTo(new EventData.Unknown(EventData.NoteAdded.TYPE, oldShape));
      assertThat(c.stored().isStored()).isTrue();
    });
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(older.id());
      assertThat(e.type()).isEqualTo(EventData.NoteAdded.TYPE);
      assertThat(e.data()).isInstanceOf(EventData.Unknown.class);
    });
  }

  @Test
  void the_same_event_twice_in_one_batch_is_one_row_and_a_duplicate_of_it() {
    Event event = note(UUID.randomUUID(), "twice");
    Incoming first = incoming(event);
    Incoming again = incoming(event);

    AppendResult result = store.append(List.of(first, again));

    assertThat(result.outcomes().get(0)).isInstanceOf(Outcome.Inserted.class);
    assertThat(result.outcomes().get(1)).isInstanceOf(Outcome.Duplicate.class);
    assertThat(result.outcomes().get(1).stored()).isEqualTo(result.outcomes().get(0).stored());
    assertThat(count("SELECT count(*) FROM incident_event")).isEqualTo(1);
  }

  @Test
  void the_same_event_in_a_later_batch_is_a_duplicate_and_the_first_store_stands() {
    Event event = note(UUID.randomUUID(), "again");
    Event first = store.append(List.of(incoming(event))).outcomes().getFirst().stored();

    AppendResult later = store.append(List.of(incoming(event, T0.plusSeconds(60), 3, 99)));

    assertThat(later.duplicates()).hasSize(1);
    assertThat(later.outcomes().getFirst().stored()).isEqualTo(first);
    assertThat(later.outcomes().getFirst().stored().stored().partition()).isZero();
  }

  @Test
  void a_stored_id_reused_with_different_content_is_a_conflict_and_the_stored_event_stands() {
    Event original = note(UUID.randomUUID(), "original");
    Event stored = store.append(List.of(incoming(original))).outcomes().getFirst().stored();
    Event changed = TestEvents.withText(original, "changed");

    AppendResult result = store.append(List.of(incoming(changed), incoming(note(original.incidentId(), "other"))));

    assertThat(result.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.stored()).isEqualTo(stored);
      assertThat(c.incoming().event()).isEqualTo(changed);
    });
    assertThat(result.inserted()).hasSize(1);
    assertThat(store.events(original.incidentId())).extracting(e -> e.data().toString())
        .anyMatch(text -> text.contains("original")).noneMatch(text -> text.contains("changed"));
  }

  @Test
  void a_conflict_inside_one_batch_keeps_the_first_delivery() {
    Event original = note(UUID.randomUUID(), "first");

    AppendResult result = store.append(List.of(incoming(original), incoming(TestEvents.withText(original, "second"))));

    assertThat(result.outcomes().get(0)).isInstanceOf(Outcome.Inserted.class);
    assertThat(result.outcomes().get(1)).isInstanceOf(Outcome.Conflict.class);
    assertThat(result.outcomes().get(1).stored()).isEqualTo(result.outcomes().get(0).stored());
  }

  @Test
  void one_anchor_per_incident_is_inserted_once_and_never_updated() {
    UUID incident = UUID.randomUUID();
    Event first = note(incident, "first");
    store.append(List.of(incoming(first), incoming(note(incident, "second"))));
    String anchorBefore = string("SELECT first_event_id || ' ' || first_seen_at || ' ' || xmin FROM incident");

    store.append(List.of(incoming(note(incident, "third"))));

    assertThat(count("SELECT count(*) FROM incident")).isEqualTo(1);
    assertThat(string("SELECT first_event_id::text FROM incident")).isEqualTo(first.id().toString());
    assertThat(string("SELECT first_event_id || ' ' || first_seen_at || ' ' || xmin FROM incident"))
        .isEqualTo(anchorBefore);
  }

  @Test
  void an_incident_reads_back_in_fold_order_whatever_the_arrival_order() {
    UUID incident = UUID.randomUUID();
    Event a = note(incident, "a");
    Event b = note(incident, "b");
    Event c = note(incident, "c");
    // c is ingested first on partition 1; a and b share an instant and sort by partition then offset
    store.append(List.of(incoming(a, T0.plusSeconds(2), 2, 5), incoming(b, T0.plusSeconds(2), 1, 9)));
    store.append(List.of(incoming(c, T0.plusSeconds(1), 1, 1)));

    List<Event> events = store.events(incident);

    assertThat(events).extracting(Event::id).containsExactly(c.id(), b.id(), a.id());
    assertThat(events).extracting(Event::orderKey).isSorted();
  }

  @Test
  void as_of_reads_cut_on_either_axis() {
    UUID incident = UUID.randomUUID();
    Event early = TestEvents.occurredAt(note(incident, "early"), T0.minusSeconds(600));
    Event late = TestEvents.occurredAt(note(incident, "late"), T0.plusSeconds(600));
    Event earlyStored = store.append(List.of(incoming(early))).outcomes().getFirst().stored();
    Event lateStored = store.append(List.of(incoming(late))).outcomes().getFirst().stored();

    assertThat(store.eventsAsOf(incident, Axis.OCCURRED, T0)).containsExactly(earlyStored);
    assertThat(store.eventsAsOf(incident, Axis.OCCURRED, T0.plusSeconds(600))).hasSize(2);
    assertThat(store.eventsAsOf(incident, Axis.RECORDED, earlyStored.stored().recordedAt())).containsExactly(earlyStored);
    assertThat(store.eventsAsOf(incident, Axis.RECORDED, lateStored.stored().recordedAt())).hasSize(2);
    assertThat(store.eventsAsOf(incident, Axis.RECORDED, earlyStored.stored().recordedAt().minusNanos(1000))).isEmpty();
  }

  @Test
  void a_range_scan_pages_through_every_event_once_in_recorded_order() {
    List<UUID> written = new ArrayList<>();
    for (int batch = 0; batch < 5; batch++) {
      List<Incoming> incomings = IntStream.range(0, 7).mapToObj(i -> incoming(note(UUID.randomUUID(), "n" + i))).toList();
      store.append(incomings).outcomes().forEach(o -> written.add(o.stored().id()));
    }

    List<Event> scanned = new ArrayList<>();
    Position position = Position.START;
    Page page;
    do {
      page = store.scan(position, Instant.now().plusSeconds(60), 4);
      scanned.addAll(page.events());
      position = page.next();
    } while (!page.complete());

    assertThat(scanned).extracting(Event::id).containsExactlyInAnyOrderElementsOf(written);
    assertThat(scanned).extracting(e -> new Position(e.stored().recordedAt(), e.id()))
        .isSortedAccordingTo((x, y) -> {
          int c = x.recordedAt().compareTo(y.recordedAt());
          return c != 0 ? c : compareUuid(x.eventId(), y.eventId());
        });
  }

  @Test
  void a_batch_over_three_thousand_rows_is_refused_before_touching_the_database() {
    List<Incoming> batch = IntStream.range(0, 1_501).mapToObj(i -> incoming(note(UUID.randomUUID(), "x"))).toList();

    assertThatThrownBy(() -> store.append(batch)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3002 rows");
  }

  @Test
  void a_full_batch_of_three_thousand_rows_is_written_in_one_transaction() {
    List<Incoming> batch = IntStream.range(0, 1_500).mapToObj(i -> incoming(note(UUID.randomUUID(), "x"))).toList();

    AppendResult result = store.append(batch);

    assertThat(result.inserted()).hasSize(1_500);
    assertThat(count("SELECT count(DISTINCT xmin::text) FROM incident_event")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM incident")).isEqualTo(1_500);
  }

  @Test
  void every_row_of_one_transaction_has_one_recording_time() {
    List<Incoming> batch = IntStream.range(0, 1_400).mapToObj(i -> incoming(note(UUID.randomUUID(), "x" + i))).toList();

    AppendResult result = store.append(batch);

    assertThat(count("SELECT count(DISTINCT recorded_at) FROM incident_event")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM incident i JOIN incident_event e ON e.event_id = i.first_event_id"
        + " WHERE i.recorded_at = e.recorded_at")).isEqualTo(1_400);
    assertThat(result.outcomes()).extracting(o -> o.stored().stored().recordedAt()).containsOnly(
        result.outcomes().getFirst().stored().stored().recordedAt());
  }

  @Test
  void a_duplicate_comes_back_exactly_as_a_read_of_its_row() {
    UUID incident = UUID.randomUUID();
    List<Incoming> batch = List.of(incoming(TestEvents.triggered(incident)), incoming(note(incident, "looking")),
        incoming(TestEvents.unknown(incident)));
    store.append(batch);

    AppendResult again = store.append(batch);

    assertThat(again.duplicates()).hasSize(3);
    assertThat(again.outcomes().stream().map(Outcome::stored).toList())
        .containsExactlyInAnyOrderElementsOf(store.events(incident));
  }

  @Test
  void injected_oc000_conflicts_are_retried_and_every_id_is_accounted_for() {
    injector = DsqlConflictInjector.install(dataSource, 0.3, 99, "incident_event", "incident");
    List<Event> events = new ArrayList<>();

    for (int batch = 0; batch < 20; batch++) {
      List<Incoming> incomings = IntStream.range(0, 25).mapToObj(i -> incoming(note(UUID.randomUUID(), "n"))).toList();
      AppendResult result = store.append(incomings);
      assertThat(result.inserted()).hasSize(25);
      incomings.forEach(i -> events.add(i.event()));
    }

    assertThat(count("SELECT count(*) FROM incident_event")).isEqualTo(events.size());
    assertThat(runner.stats().retries()).isPositive();
  }

  @Test
  void a_value_the_database_refuses_fails_the_batch_as_a_record_error() {
    UUID incident = UUID.randomUUID();
    List<Incoming> batch = List.of(incoming(note(incident, "fine")), incoming(TestEvents.refusedByDatabase(incident)));

    assertThatThrownBy(() -> store.append(batch)).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.isRecordError()).isTrue();
      assertThat(e.sqlState()).isEqualTo("22021");
    });
    assertThat(count("SELECT count(*) FROM incident_event")).isZero();
  }

  @Test
  void concurrent_overlapping_batches_store_each_id_once_and_account_for_all() throws Exception {
    // Given 200 events and four writers that each append all of them, in batches, in different orders
    List<Incoming> all = IntStream.range(0, 200).mapToObj(i -> incoming(note(UUID.randomUUID(), "c" + i))).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<Set<UUID>>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int shift = w * 50;
      writers.add(() -> {
        Set<UUID> accounted = new HashSet<>();
        for (int from = 0; from < all.size(); from += 40) {
          List<Incoming> batch = new ArrayList<>();
          for (int i = from; i < from + 40; i++) batch.add(all.get((i + shift) % all.size()));
          store.append(batch).outcomes().forEach(o -> {
            assertThat(o).isNotInstanceOf(Outcome.Conflict.class);
            accounted.add(o.stored().id());
          });
        }
        return accounted;
      });
    }

    // When they run at once
    List<Future<Set<UUID>>> results = pool.invokeAll(writers);
    pool.shutdown();

    // Then every writer accounted for every id, and each is stored once
    for (Future<Set<UUID>> result : results) assertThat(result.get()).hasSize(200);
    assertThat(count("SELECT count(*) FROM incident_event")).isEqualTo(200);
  }

  private static int compareUuid(UUID a, UUID b) {
    // PostgreSQL orders uuids by their bytes, unsigned
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  private int count(String sql) {
    return Databases.count(dataSource, sql);
  }

  private String string(String sql) {
    return Databases.string(dataSource, sql);
  }

}
