package dev.quorum.export.domain;

import dev.quorum.event.fold.Axis;
import java.time.Instant;
import java.util.Objects;

/**
 * Which events an export takes: those known at {@code asOf} on the {@code axis}, as the record stood at
 * {@code startedAt}. On the RECORDED axis, what the record said at {@code asOf} (never later than the start);
 * on the OCCURRED axis, what had happened by {@code asOf}, as recorded by the start. Bounding both by the
 * start keeps the export one consistent cut while writers go on storing.
 */
public record Cut(Instant asOf, Axis axis, Instant startedAt) {
  public Cut {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(axis, "axis");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** The last recording time taken. */
  public Instant recordedBy() {
    return axis == Axis.RECORDED && asOf.isBefore(startedAt) ? asOf : startedAt;
  }

  /** The last occurrence time taken, or null when any is (the RECORDED axis). */
  public Instant occurredBy() {
    return axis == Axis.OCCURRED ? asOf : null;
  }

  /**
   * Whether nothing recorded by {@link #recordedBy()} can still appear: a writer's transaction stores its
   * events with the time its statement started and commits at most {@code transactionCap} later (DESIGN §5).
   */
  public boolean settled(Instant now, java.time.Duration transactionCap) {
    return !recordedBy().isAfter(now.minus(transactionCap));
  }
}
