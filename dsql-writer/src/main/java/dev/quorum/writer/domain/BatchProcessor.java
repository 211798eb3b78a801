package dev.quorum.writer.domain;

import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Outcome;
import dev.quorum.store.StoreException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

  /** {@link #process(List)} of a batch {@link #prepare} laid out. */
  public List<Publication> process(Prepared prepared) {
    List<Decoded> batch = prepared.batch;
    if (batch.isEmpty()) {
      probe();
      return List.of();
    }
    batches.increment();
    Map<Delivery, Publication> published = new IdentityHashMap<>();
    store(prepared.valid, prepared.stored, published);
    List<Publication> publications = new ArrayList<>(batch.size());
    for (Decoded item : batch) {
      Publication publication = switch (item) {
        case Decoded.Invalid invalid -> new Publication.DeadLettered(invalid.delivery(), invalid.deadLetter());
        case Decoded.Valid v -> published.get(v.delivery());
      };
      if (publication instanceof Publication.DeadLettered) deadLetters.increment();
      publications.add(publication);
    }
    return publications;
  }

  /** Reads from the database (with the store's retries): fails as a batch would while it is unavailable. */
  public void probe() {
    store.events(PROBE);
  }

  public Stats stats() {
    return new Stats(batches.sum(), inserted.sum(), duplicates.sum(), conflicts.sum(), deadLetters.sum(), splits.sum());
  }

  /** Stores {@code items}, laid out as {@code prepared} (null: not yet laid out), splitting on a refused record. */
  private void store(List<Decoded.Valid> items, EventStore.Prepared prepared, Map<Delivery, Publication> published) {
    if (items.isEmpty()) return;
    AppendResult result;
    try {
      result = prepared != null ? store.append(prepared) : store.append(items.stream().map(Decoded.Valid::incoming).toList());
    } catch (StoreException e) {
      if (!e.isRecordError()) throw e;
      if (items.size() == 1) {
        Delivery delivery = items.getFirst().delivery();
        Throwable root = rootCause(e);
        published.put(delivery, new Publication.DeadLettered(delivery, new DeadLetter(delivery,
            DeadLetter.Reason.REJECTED_BY_DATABASE, root.getClass().getName(), e.getMessage(), e.sqlState())));
        return;
      }
      splits.increment();
      int half = items.size() / 2;
      store(items.subList(0, half), null, published);
      store(items.subList(half, items.size()), null, published);
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      Delivery delivery = items.get(i).delivery();
      var incoming = items.get(i).incoming();
      Outcome outcome = result.outcomes().get(i);
      Publication publication = switch (outcome) {
        case Outcome.Inserted ins -> {
          inserted.increment();
          yield Publication.Committed.of(delivery, ins.stored(), incoming);
        }
        case Outcome.Duplicate dup -> {
          duplicates.increment();
          yield Publication.Committed.of(delivery, dup.stored(), incoming);
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
      published.put(delivery, publication);
    }
  }

  private static Throwable rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root;
  }
}
