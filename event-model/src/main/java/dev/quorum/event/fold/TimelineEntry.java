package dev.quorum.event.fold;

import dev.quorum.event.Event;
import java.util.Objects;

/**
 * One event as the timeline shows it: the event, the episode it belongs to (0 before the first),
 * and its effect, with the reason when it had none.
 */
public record TimelineEntry(Event event, int episode, Effect effect, String reason) {
  public TimelineEntry {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(effect, "effect");
  }

  public boolean hadEffect() {
    return effect == Effect.APPLIED;
  }
}
