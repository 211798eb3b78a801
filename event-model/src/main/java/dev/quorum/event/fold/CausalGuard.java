package dev.quorum.event.fold;

import java.time.Duration;
import java.time.Instant;

/**
 * The fold's guard against a causal inversion across regions (ADR 10): the order key is the broker append
 * time of the region that ingested the event, so an acknowledgement ingested in one region can sort before
 * the trigger it answers, ingested in the other, when the second cluster's clock runs ahead of the first
 * by more than the replication lag plus the responder's reaction time. An acknowledgement with no open
 * episode to act on is held; the trigger that opens an episode within {@link #HOLD} after it takes it
 * (status acknowledged, acknowledged at the trigger's time: MTTA 0, never negative).
 */
public final class CausalGuard {
  /** How far a trigger may sort after the acknowledgement that answers it: the clock skew tolerated between clusters. */
  public static final Duration HOLD = Duration.ofSeconds(5);

  private CausalGuard() {}

  /** Whether an acknowledgement in an incident stream whose latest episode has this status (null: none yet) is held. */
  static boolean holds(Status latest) {
    return latest == null || latest == Status.RESOLVED || latest == Status.CLOSED;
  }

  /** Whether an episode opened at {@code openedAt} answers the acknowledgement held since {@code heldAt} (null: none). */
  static boolean answered(Instant heldAt, Instant openedAt) {
    return heldAt != null && !openedAt.isBefore(heldAt) && !openedAt.isAfter(heldAt.plus(HOLD));
  }

  static String heldReason(String state) {
    return "held: no open episode to acknowledge (" + state + "); an episode triggered within " + HOLD.toSeconds()
        + " s takes it (ADR 10)";
  }
}
