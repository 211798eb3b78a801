package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** What the projection reads from the system of record: the stored events. */
public interface EventLog {

  /** Every stored event of one incident stream, in fold order. */
  List<Event> incident(UUID incidentId);

  /** The stored events of one incident stream known at {@code instant} on {@code axis}, in fold order. */
  List<Event> incidentAsOf(UUID incidentId, Instant instant, Axis axis);

  /** The stored event with this id. */
  Optional<Event> find(UUID eventId);

  /**
   * Hands every event recorded in {@code [from, to)} to {@code sink}, in batches, in fold order (by
   * {@link dev.quorum.event.fold.OrderKey}), so that each incident's events arrive in the order the fold
   * applies them.
   */
  void scan(Instant from, Instant to, int batchSize, Consumer<List<Event>> sink);
}
