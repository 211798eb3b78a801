package dev.quorum.export.domain;

import dev.quorum.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads pages of events ordered by incident and hands over one incident stream's events at a time, in fold
 * order: memory holds one page and one stream, never the log. A stream split across pages is joined.
 */
public final class IncidentStreams {
  private IncidentStreams() {}

  /** Calls {@code stream} once per incident with all of its events; returns how many events were read. */
  public static long forEach(EventPages pages, int pageSize, Consumer<List<Event>> stream) {
    if (pageSize < 1) throw new IllegalArgumentException("pageSize must be >= 1: " + pageSize);
    List<Event> current = new ArrayList<>();
    long read = 0;
    Event last = null;
    while (true) {
      List<Event> page = pages.page(last == null ? null : last.incidentId(), last == null ? null : last.orderKey(), pageSize);
      for (Event event : page) {
        if (!current.isEmpty() && !current.getFirst().incidentId().equals(event.incidentId())) {
          stream.accept(current);
          current = new ArrayList<>();
        }
        current.add(event);
      }
      read += page.size();
      if (page.size() < pageSize) break;
      last = page.getLast();
    }
    if (!current.isEmpty()) stream.accept(current);
    return read;
  }
}
