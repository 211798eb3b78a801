package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a re-fold may start for a late event that sorts after {@code opener}: the order key of the event
 * that opened an episode, and the state ({@link IncidentState#withoutHistory()}) just before it. Nothing
 * a later event does changes the state before an earlier one, so a re-fold replays from here only.
 *
 * <p>{@code reach} is how late, on each axis, the incident's own events sorting before the opener were
 * when this checkpoint was written: an as-of answer for an instant past both may start here (ADR 8).
 * Null in checkpoints stored before it was kept: such a checkpoint never serves an as-of answer.
 */
public record Checkpoint(OrderKey opener, IncidentState before, Reach reach) {
  public Checkpoint {
    Objects.requireNonNull(opener, "opener");
    Objects.requireNonNull(before, "before");
    before = before.withoutHistory();
  }

  /** A checkpoint whose reach is unknown. */
  public Checkpoint(OrderKey opener, IncidentState before) {
    this(opener, before, null);
  }

  /**
   * The latest {@code recordedAt} and {@code occurredAt} among some events; null when there are none.
   */
  public record Reach(Instant recorded, Instant occurred) {
    /** The reach of no event. */
    public static final Reach NONE = new Reach(null, null);

    /** This reach and the event's times. */
    public Reach with(Event event) {
      return with(event.stored().recordedAt(), event.occurredAt());
    }

    /** This reach and the other's. */
    public Reach with(Reach other) {
      return with(other.recorded, other.occurred);
    }

    private Reach with(Instant otherRecorded, Instant otherOccurred) {
      return new Reach(later(recorded, otherRecorded), later(occurred, otherOccurred));
    }

    /** True when every event of this reach is known at {@code instant} on {@code axis}. */
    public boolean knownAt(Instant instant, Axis axis) {
      Instant at = axis == Axis.RECORDED ? recorded : occurred;
      return at == null || !at.isAfter(instant);
    }

    private static Instant later(Instant a, Instant b) {
      if (a == null) return b;
      if (b == null) return a;
      return a.isAfter(b) ? a : b;
    }
  }
}
