package dev.quorum.store;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The event log: an idempotent, append-only store of events keyed by event id (DESIGN §6, §7).
 *
 * <p>Every method runs in its own REPEATABLE READ transaction, retried on conflicts; failures are
 * {@link StoreException}s that say how they were classified.
 */
public interface EventStore {
  /** DSQL modifies at most this many rows per transaction: events and incident anchors together. */
  int MAX_ROWS_PER_TRANSACTION = 3_000;
  /** DSQL writes at most 10 MiB per transaction. */
  long MAX_BYTES_PER_TRANSACTION = 10L * 1024 * 1024;

  /**
   * Stores a batch in one transaction and accounts for every delivered event: inserted, a duplicate
   * of the stored event, or a conflicting reuse of a stored id. Within a batch the first delivery of
   * an id is the one stored.
   *
   * @throws IllegalArgumentException when the batch would modify more than {@link #MAX_ROWS_PER_TRANSACTION} rows
   * @throws StoreException when the database refused the batch; {@link StoreException#isRecordError()}
   *     says that a record's data was refused, and splitting the batch will find it
   */
  AppendResult append(List<Incoming> batch);

  /**
   * A batch checked and laid out for {@link #append(Prepared)} before its transaction: the work of a batch that
   * needs no database, done where it does not hold up the transaction before it (the writer prepares its next
   * batch while the database stores the one before).
   */
  interface Prepared {
    /** The batch as given to {@link #prepare}. */
    List<Incoming> batch();
  }

  /**
   * Checks and lays out a batch for {@link #append(Prepared)}; needs no database and changes nothing, so it may run
   * on any thread, long before the append, and its result may be appended again (a retry).
   *
   * @throws IllegalArgumentException when the batch would modify more than {@link #MAX_ROWS_PER_TRANSACTION} rows
   *     (here, or at the latest when it is appended)
   */
  default Prepared prepare(List<Incoming> batch) {
    List<Incoming> copy = List.copyOf(batch);
    return () -> copy;
  }

  /** {@link #append(List)} of a batch {@link #prepare} laid out. */
  default AppendResult append(Prepared prepared) {
    return append(prepared.batch());
  }

  /** One incident's events in fold order (ingestedAt, partition, offset, event id). */
  List<Event> events(UUID incidentId);

  /** One incident's events in fold order, as of an instant on either axis (inclusive). */
  List<Event> eventsAsOf(UUID incidentId, Axis axis, Instant asOf);

  /**
   * Events in RECORDED order after {@code after} and recorded before {@code until} (exclusive), at
   * most {@code limit}: the scan behind rebuild and replay. Scan only up to a settled instant (older
   * than the writer's transaction cap), or a late commit may land behind the scan.
   */
  Page scan(Position after, Instant until, int limit);

  /** The rows a batch modifies: one per distinct event id and one per distinct incident anchor. */
  static int rowsModified(List<Incoming> batch) {
    return (int) (batch.stream().map(i -> i.event().id()).distinct().count()
        + batch.stream().map(i -> i.event().incidentId()).distinct().count());
  }
}
