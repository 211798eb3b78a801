package dev.quorum.store;

import dev.quorum.event.Event;
import java.util.List;

/** One page of a range scan, and where the next one starts. */
public record Page(List<Event> events, Position next, boolean complete) {
  public Page {
    events = List.copyOf(events);
  }
}
