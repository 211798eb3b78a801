package dev.quorum.export.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.OrderKey;
import java.util.List;
import java.util.UUID;

/** The events an export takes, in pages: ordered by incident, then in fold order (the port to the event log). */
public interface EventPages {
  /** How many events the pages hold in all: the total of the progress. */
  long count();

  /** At most {@code limit} events after {@code afterIncident}'s event {@code after} (both null: from the first). */
  List<Event> page(UUID afterIncident, OrderKey after, int limit);
}
