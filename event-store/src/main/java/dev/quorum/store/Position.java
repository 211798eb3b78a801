package dev.quorum.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A place in the RECORDED order of the whole log: a range scan resumes after it. */
public record Position(Instant recordedAt, UUID eventId) {
  /** Before every event. */
  public static final Position START = new Position(Instant.EPOCH, new UUID(0, 0));

  public Position {
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(eventId, "eventId");
  }
}
