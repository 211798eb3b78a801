package dev.quorum.event;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What the pipeline fixes when an event is first stored: the broker's append time and the record's
 * coordinates on the actions topic, and the time of the storing statement.
 */
public record Stored(Instant ingestedAt, Instant recordedAt, int partition, long offset) {
  public Stored {
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    Objects.requireNonNull(recordedAt, "recordedAt");
    if (partition < 0) throw new IllegalArgumentException("partition must be >= 0: " + partition);
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0: " + offset);
    // PostgreSQL keeps microseconds: truncate so a stored event compares equal to its read-back.
    ingestedAt = ingestedAt.truncatedTo(ChronoUnit.MICROS);
    recordedAt = recordedAt.truncatedTo(ChronoUnit.MICROS);
  }
}
