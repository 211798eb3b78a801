package dev.quorum.writer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Axis;
import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.Outcome;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.StoreException;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.store.tx.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The processor's decisions against an in-memory stand-in of the store; the real store is covered by the ITs. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BatchProcessorTest {

  @Test
  void a_record_the_database_refuses_is_found_by_splitting_and_dead_lettered_alone() {
    // Given a batch of 16 events, one of which the database refuses
    InMemoryStore store = new InMemoryStore();
    List<Decoded> batch = new ArrayList<>();
    for (int i = 0; i < 16; i++) batch.add(BatchBuilderTest.valid(TestEvents.note(UUID.randomUUID(), "n" + i)));
    Event refused = ((Decoded.Valid) batch.get(11)).incoming().event();
    store.refuse(refused.id());
    BatchProcessor processor = new BatchProcessor(store);

    // When processed
    List<Publication> publications = processor.process(batch);

    // Then 15 are committed, the refused one is dead-lettered with its SQLSTATE, in delivery order
    assertThat(publications).hasSize(16);
    for (int i = 0; i < 16; i++) {
      assertThat(publications.get(i).delivery()).isSameAs(batch.get(i).delivery());
      assertThat(publications.get(i)).isInstanceOf(i == 11 ? Publication.DeadLettered.class : Publication.Committed.class);
    }
    DeadLetter letter = ((Publication.DeadLettered) publications.get(11)).deadLetter();
    assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.REJECTED_BY_DATABASE);
    assertThat(letter.sqlState()).isEqualTo("22021");
    // Halving 16 down to the one: 4 levels, each splitting the half that holds it (plus the root)
    assertThat(processor.stats().splits()).isEqualTo(4);
    assertThat(store.rows).hasSize(15);
  }

  @Test
  void an_unavailable_database_fails_the_whole_batch_and_publishes_nothing() {
    InMemoryStore store = new InMemoryStore();
    store.unavailable = true;
    BatchProcessor processor = new BatchProcessor(store);

    assertThatThrownBy(() -> processor.process(List.of(BatchBuilderTest.valid(TestEvents.note(UUID.randomUUID(), "x")))))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isUnavailable()).isTrue());
    assertThat(store.rows).isEmpty();
  }

  @Test
  void duplicates_publish_the_stored_version_and_conflicts_become_dead_letters() {
    InMemoryStore store = new InMemoryStore();
    Event original = TestEvents.note(UUID.randomUUID(), "original");
    BatchProcessor processor = new BatchProcessor(store);
    processor.process(List.of(BatchBuilderTest.valid(original)));

    List<Publication> publications = processor.process(List.of(
        BatchBuilderTest.valid(original), BatchBuilderTest.valid(TestEvents.withText(original, "changed")),
        Decoded.of(BatchBuilderTest.delivery("nope".getBytes(StandardCharsets.UTF_8)))));

    assertThat(publications.get(0)).isInstanceOfSatisfying(Publication.Committed.class,
        c -> assertThat(c.stored()).isEqualTo(store.rows.get(original.id())));
    assertThat(publications.get(1)).isInstanceOfSatisfying(Publication.DeadLettered.class,
        d -> assertThat(d.deadLetter().reason()).isEqualTo(DeadLetter.Reason.CONFLICTING_DUPLICATE));
    assertThat(publications.get(2)).isInstanceOfSatisfying(Publication.DeadLettered.class,
        d -> assertThat(d.deadLetter().reason()).isEqualTo(DeadLetter.Reason.MALFORMED_ENVELOPE));
    assertThat(processor.stats().duplicates()).isEqualTo(1);
    assertThat(processor.stats().conflicts()).isEqualTo(1);
  }

  @Test
  void a_batch_is_laid_out_once_before_its_transaction_and_stored_as_laid_out_again_after_a_failure() {
    // Given a batch of two events and a record that is no event, laid out while the database is unavailable
    InMemoryStore store = new InMemoryStore();
    store.unavailable = true;
    BatchProcessor processor = new BatchProcessor(store);
    Event first = TestEvents.note(UUID.randomUUID(), "first");
    Event second = TestEvents.note(UUID.randomUUID(), "second");
    BatchProcessor.Prepared prepared = processor.prepare(List.of(BatchBuilderTest.valid(first),
        Decoded.of(BatchBuilderTest.delivery("nope".getBytes(StandardCharsets.UTF_8))), BatchBuilderTest.valid(second)));
    assertThat(store.laidOut).as("laid out by the store, valid events only").containsExactly(List.of(first, second));

    // When its transaction fails, and the same laid-out batch is processed again once the database is back
    assertThatThrownBy(() -> processor.process(prepared))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isUnavailable()).isTrue());
    store.unavailable = false;
    List<Publication> publications = processor.process(prepared);

    // Then it is stored as laid out (not laid out again), its publications in delivery order
    assertThat(store.laidOut).hasSize(1);
    assertThat(store.appendedLaidOut).isEqualTo(2);
    assertThat(publications).extracting(p -> p.getClass().getSimpleName())
        .containsExactly("Committed", "DeadLettered", "Committed");
    assertThat(store.rows).containsOnlyKeys(first.id(), second.id());
  }

  @Test
  void the_database_step_leaves_the_outcomes_to_be_worked_out_when_the_publications_are_asked_for() {
    // Given a store whose results are worked out on first use, and a batch in which the database refuses one record
    InMemoryStore store = new InMemoryStore();
    store.deferOutcomes = true;
    List<Decoded> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) batch.add(BatchBuilderTest.valid(TestEvents.note(UUID.randomUUID(), "n" + i)));
    batch.add(3, Decoded.of(BatchBuilderTest.delivery("nope".getBytes(StandardCharsets.UTF_8))));
    store.refuse(((Decoded.Valid) batch.get(6)).incoming().event().id());
    BatchProcessor processor = new BatchProcessor(store);

    // When stored: nothing is worked out yet
    BatchProcessor.Written written = processor.store(processor.prepare(batch));
    assertThat(store.outcomesWorkedOut).isZero();
    assertThat(processor.stats().inserted()).isZero();

    // Then the publications work them out, one per delivery in the batch's order, across the split's parts
    List<Publication> publications = processor.publications(written);
    assertThat(store.outcomesWorkedOut).isPositive();
    assertThat(publications).hasSize(9);
    for (int i = 0; i < 9; i++) {
      assertThat(publications.get(i).delivery()).isSameAs(batch.get(i).delivery());
      assertThat(publications.get(i)).isInstanceOf(i == 3 || i == 6 ? Publication.DeadLettered.class : Publication.Committed.class);
    }
    assertThat(processor.stats().inserted()).isEqualTo(7);
    assertThat(processor.stats().deadLetters()).isEqualTo(2);
  }

  /** Appends as the real store does (first delivery wins, whole batch or nothing), with chosen failures. */
  private static final class InMemoryStore implements EventStore {
    final Map<UUID, Event> rows = new HashMap<>();
    private final List<UUID> refused = new ArrayList<>();
    boolean unavailable;

    /** The events of each batch laid out, and how many laid-out batches were appended. */
    final List<List<Event>> laidOut = new ArrayList<>();
    int appendedLaidOut;
    /** Whether results are worked out on first use, and how many were. */
    boolean deferOutcomes;
    int outcomesWorkedOut;

    void refuse(UUID id) {
      refused.add(id);
    }

    @Override
    public Prepared prepare(List<Incoming> batch) {
      laidOut.add(batch.stream().map(Incoming::event).toList());
      return EventStore.super.prepare(batch);
    }

    @Override
    public AppendResult append(Prepared prepared) {
      appendedLaidOut++;
      return append(prepared.batch());
    }

    @Override
    public AppendResult append(List<Incoming> batch) {
      if (unavailable) {
        throw new StoreException("appending failed after 3 attempt(s)", new SQLException("conflict (OC000)", "40001"),
            ErrorKind.RETRYABLE, "40001", 3);
      }
      if (batch.stream().anyMatch(i -> refused.contains(i.event().id()))) {
        throw new StoreException("appending failed", new SQLException("invalid byte sequence", "22021"),
            ErrorKind.RECORD, "22021", 1);
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Incoming incoming : batch) {
        Event standing = rows.get(incoming.event().id());
        if (standing == null) {
          standing = incoming.storedAt(Instant.parse("2026-06-15T02:00:01Z"));
          rows.put(standing.id(), standing);
          outcomes.add(new Outcome.Inserted(incoming, standing));
        } else if (EventCodec.sameContent(standing, incoming.event())) {
          outcomes.add(new Outcome.Duplicate(incoming, standing));
        } else {
          outcomes.add(new Outcome.Conflict(incoming, standing));
        }
      }
      if (!deferOutcomes) return new AppendResult(outcomes);
      return AppendResult.deferred(() -> {
        outcomesWorkedOut++;
        return outcomes;
      });
    }

    @Override
    public List<Event> events(UUID incidentId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Event> eventsAsOf(UUID incidentId, Axis axis, Instant asOf) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Page scan(Position after, Instant until, int limit) {
      throw new UnsupportedOperationException();
    }
  }
}
