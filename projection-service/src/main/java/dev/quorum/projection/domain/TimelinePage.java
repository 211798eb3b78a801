package dev.quorum.projection.domain;

import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.TimelineEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** One page of a timeline in fold order, and the order key to continue after (null on the last page). */
public record TimelinePage(List<TimelineEntry> entries, OrderKey next) {
  public TimelinePage {
    entries = List.copyOf(entries);
  }

  /**
   * The first {@code limit} entries of {@code inFoldOrder} after {@code after} (null: from the first),
   * of one episode when {@code episode} is not null.
   */
  public static TimelinePage of(Iterator<TimelineEntry> inFoldOrder, OrderKey after, Integer episode, int limit) {
    List<TimelineEntry> page = new ArrayList<>();
    while (inFoldOrder.hasNext()) {
      TimelineEntry entry = inFoldOrder.next();
      if (after != null && entry.event().orderKey().compareTo(after) <= 0) continue;
      if (episode != null && entry.episode() != episode) continue;
      if (page.size() == limit) return new TimelinePage(page, page.getLast().event().orderKey());
      page.add(entry);
    }
    return new TimelinePage(page, null);
  }
}
