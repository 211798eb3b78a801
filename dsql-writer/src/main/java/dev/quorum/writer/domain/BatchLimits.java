package dev.quorum.writer.domain;

import dev.quorum.store.EventStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of one batch, hence of one database transaction: rows modified (events and incident
 * anchors together), bytes, and how long the first record may wait for company.
 */
public record BatchLimits(int maxRows, long maxBytes, Duration maxWait) {
  public BatchLimits {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxRows < 2 || maxRows > EventStore.MAX_ROWS_PER_TRANSACTION) {
      throw new IllegalArgumentException("maxRows must be in [2, " + EventStore.MAX_ROWS_PER_TRANSACTION
          + "]: an event and its anchor are two rows, and DSQL modifies at most "
          + EventStore.MAX_ROWS_PER_TRANSACTION + " per transaction; was " + maxRows);
    }
    if (maxBytes < 1 || maxBytes >= EventStore.MAX_BYTES_PER_TRANSACTION) {
      throw new IllegalArgumentException("maxBytes must be in [1, 10 MiB): DSQL writes at most 10 MiB per transaction; was " + maxBytes);
    }
    if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
  }
}
