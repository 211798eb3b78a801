package dev.quorum.projection.domain;

import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import java.util.Objects;

/**
 * Where a re-fold may start for a late event that sorts after {@code opener}: the order key of the event
 * that opened an episode, and the state ({@link IncidentState#withoutHistory()}) just before it. Nothing
 * a later event does changes the state before an earlier one, so a re-fold replays from here only.
 */
public record Checkpoint(OrderKey opener, IncidentState before) {
  public Checkpoint {
    Objects.requireNonNull(opener, "opener");
    Objects.requireNonNull(before, "before");
    before = before.withoutHistory();
  }
}
