package dev.quorum.writer.domain;

import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Outcome;
import dev.quorum.store.StoreException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Step 2 of the batch protocol (DESIGN §7.1): stores a batch's valid events and decides, for every
 * delivery, what the Kafka transaction publishes: the stored event, or a dead letter.
 *
 * <p>When the database refuses a record's data, the batch is split in halves, each stored in a
 * transaction of its own, until the refused record stands alone and is dead-lettered; the halves
 * already stored are read back as duplicates if the batch is ever processed again.
 */
public final class BatchProcessor {

  /**
   * Counters of the database step since start. A batch is stored again when its Kafka transaction is
   * retried, so these grow on every replay: count what was published with the writer's own counters.
   */
  public record Stats(long batches, long inserted, long duplicates, long conflicts, long deadLetters, long splits) {}

  private static final java.util.UUID PROBE = new java.util.UUID(0, 0);

  private final EventStore store;
  private final LongAdder batches = new LongAdder();
  private final LongAdder inserted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder deadLetters = new LongAdder();
  private final LongAdder splits = new LongAdder();

  public BatchProcessor(EventStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * A batch made ready for {@link #process(Prepared)}: its valid events laid out by the store ({@link
   * EventStore#prepare}). Needs no database: the writer prepares a lane's next batch while the database stores the
   * one before, so that the thread that holds the transactions only stores.
   */
  public static final class Prepared {
    private final List<Decoded> batch;
    private final List<Decoded.Valid> valid;
    private final EventStore.Prepared stored;

    private Prepared(List<Decoded> batch, List<Decoded.Valid> valid, EventStore.Prepared stored) {
      this.batch = batch;
      this.valid = valid;
      this.stored = stored;
    }

    /** The deliveries, in order, as given. */
    public List<Decoded> batch() {
      return batch;
    }
  }

  /** Lays out a batch for {@link #process(Prepared)}; may run on any thread, and its result may be processed again. */
  public Prepared prepare(List<Decoded> batch) {
    List<Decoded> copy = List.copyOf(batch);
    List<Decoded.Valid> valid = new ArrayList<>();
    for (Decoded item : copy) {
      if (item instanceof Decoded.Valid v) valid.add(v);
    }
    EventStore.Prepared stored = valid.isEmpty()
        ? null
        : store.prepare(valid.stream().map(Decoded.Valid::incoming).toList());
    return new Prepared(copy, List.copyOf(valid), stored);
  }

  /**
   * Stores the batch and returns one publication per delivery, in the batch's order; an empty batch
   * only {@linkplain #probe() probes} the database.
   *
   * @throws StoreException when the database is unavailable (retries ran out) or failed for a reason
   *     that is not a record's data; nothing of the batch may then be published
   */
  public List<Publication> process(List<Decoded> batch) {
    return process(prepare(batch));
  }

  /** {@link #process(List)} of a batch {@link #prepare} laid out: {@link #store} then {@link #publications}. */
  public List<Publication> process(Prepared prepared) {
    return publications(store(prepared));
  }

  /**
   * What a batch's database step left: per run of its valid events, in their order, the store's result (its
   * outcomes not yet worked out) or the dead letter of the one record the database refused.
   */
  public static final class Written {
    private final Prepared prepared;
    private final List<Part> parts;

    private Written(Prepared prepared, List<Part> parts) {
      this.prepared = prepared;
      this.parts = parts;
    }
  }

  /** Valid events stored in one transaction, or one the database refused. */
  private record Part(List<Decoded.Valid> items, AppendResult result, DeadLetter refused) {}

  /**
   * The database step of {@link #process(Prepared)}: stores the batch and keeps the results, without working out
   * what to publish, so that the thread that holds the transactions does no more than store: {@link
   * #publications} does the rest, on any thread, once this returned.
   *
   * @throws StoreException as {@link #process(List)}
   */
  public Written store(Prepared prepared) {
    if (prepared.batch.isEmpty()) {
      probe();
      return new Written(prepared, List.of());
    }
    batches.increment();
    List<Part> parts = new ArrayList<>(1);
    store(prepared.valid, prepared.stored, parts);
    return new Written(prepared, parts);
  }

  /** One publication per delivery of a {@link #store stored} batch, in the batch's order. */
  public List<Publication> publications(Written written) {
    List<Decoded> batch = written.prepared.batch;
    List<Publication> publications = new ArrayList<>(batch.size());
    // The parts hold the valid events in the batch's order (a split stores the first half, then the second).
    Iterator<Part> parts = written.parts.iterator();
    Part part = null;
    List<Outcome> outcomes = List.of();
    int at = 0;
    for (Decoded item : batch) {
      Publication publication;
      if (item instanceof Decoded.Invalid invalid) {
        publication = new Publication.DeadLettered(invalid.delivery(), invalid.deadLetter());
      } else {
        while (part == null || at == part.items().size()) {
          part = parts.next();
          outcomes = part.result() == null ? List.of() : part.result().outcomes();
          at = 0;
        }
        Decoded.Valid valid = part.items().get(at);
        if (valid != item) throw new IllegalStateException("the stored events are not the batch's, in its order");
        publication = part.refused() != null
            ? new Publication.DeadLettered(valid.delivery(), part.refused())
            : publication(valid, outcomes.get(at));
        at++;
      }
      if (publication instanceof Publication.DeadLettered) deadLetters.increment();
      publications.add(publication);
    }
    return publications;
  }

  private Publication publication(Decoded.Valid valid, Outcome outcome) {
    Delivery delivery = valid.delivery();
    return switch (outcome) {
      case Outcome.Inserted ins -> {
        inserted.increment();
        yield Publication.Committed.of(delivery, ins.stored(), valid.incoming());
      }
      case Outcome.Duplicate dup -> {
        duplicates.increment();
        yield Publication.Committed.of(delivery, dup.stored(), valid.incoming());
      }
      case Outcome.Conflict conflict -> {
        conflicts.increment();
        yield new Publication.DeadLettered(delivery, new DeadLetter(delivery,
            DeadLetter.Reason.CONFLICTING_DUPLICATE, Outcome.Conflict.class.getName(),
            "event " + conflict.stored().id() + " is already stored with different content (first stored from "
                + "partition " + conflict.stored().stored().partition() + " offset "
                + conflict.stored().stored().offset() + "); the stored event stands", null));
      }
    };
  }

  /** Reads from the database (with the store's retries): fails as a batch would while it is unavailable. */
  public void probe() {
    store.events(PROBE);
  }

  public Stats stats() {
    return new Stats(batches.sum(), inserted.sum(), duplicates.sum(), conflicts.sum(), deadLetters.sum(), splits.sum());
  }

  /**
   * Stores {@code items}, laid out as {@code prepared} (null: not yet laid out), splitting on a refused record;
   * adds what each transaction stored, or the record refused alone, to {@code parts} in the items' order.
   */
  private void store(List<Decoded.Valid> items, EventStore.Prepared prepared, List<Part> parts) {
    if (items.isEmpty()) return;
    AppendResult result;
    try {
      result = prepared != null ? store.append(prepared) : store.append(items.stream().map(Decoded.Valid::incoming).toList());
    } catch (StoreException e) {
      if (!e.isRecordError()) throw e;
      if (items.size() == 1) {
        Delivery delivery = items.getFirst().delivery();
        Throwable root = rootCause(e);
        parts.add(new Part(items, null, new DeadLetter(delivery,
            DeadLetter.Reason.REJECTED_BY_DATABASE, root.getClass().getName(), e.getMessage(), e.sqlState())));
        return;
      }
      splits.increment();
      int half = items.size() / 2;
      store(items.subList(0, half), null, parts);
      store(items.subList(half, items.size()), null, parts);
      return;
    }
    parts.add(new Part(items, result, null));
  }

  private static Throwable rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root;
  }
}
