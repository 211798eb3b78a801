package dev.quorum.store;

import dev.quorum.event.Event;

/** What happened to one delivered event in an append; {@link #stored()} is always the version that stands. */
public sealed interface Outcome {
  Incoming incoming();

  /** The stored event, as the database returned it. */
  Event stored();

  /** The id was new: this delivery stored it. */
  record Inserted(Incoming incoming, Event stored) implements Outcome {}

  /** The id was already stored with the same content: the stored event stands. */
  record Duplicate(Incoming incoming, Event stored) implements Outcome {}

  /** The id was already stored with different content: a producer bug; the stored event stands. */
  record Conflict(Incoming incoming, Event stored) implements Outcome {}
}
