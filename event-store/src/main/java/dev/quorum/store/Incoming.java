package dev.quorum.store;

import dev.quorum.event.Event;
import dev.quorum.event.Stored;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An event as delivered, with what the pipeline knows before storing it: the broker's append time
 * and the record's coordinates on the actions topic.
 */
public record Incoming(Event event, Instant ingestedAt, int partition, long offset) {
  public Incoming {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    if (partition < 0) throw new IllegalArgumentException("partition must be >= 0: " + partition);
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0: " + offset);
    // Pipeline attributes a producer may have sent are not its to set.
    event = event.unstored();
    ingestedAt = ingestedAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** The event as it will be stored, given the storing statement's time. */
  public Event storedAt(Instant recordedAt) {
    return event.withStored(new Stored(ingestedAt, recordedAt, partition, offset));
  }
}
