package dev.quorum.projection.jdbc;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.projection.domain.EventLog;
import dev.quorum.store.EventStore;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/** The projection's reads of the event log, through the event store. */
public final class StoreEventLog implements EventLog {
  /** The largest UUID in PostgreSQL's (unsigned, byte-wise) order. */
  private static final UUID LAST_ID = new UUID(-1L, -1L);

  private final EventStore store;
  private final Function<UUID, Optional<Event>> byId;

  public StoreEventLog(EventStore store, Function<UUID, Optional<Event>> byId) {
    this.store = Objects.requireNonNull(store, "store");
    this.byId = Objects.requireNonNull(byId, "byId");
  }

  @Override
  public List<Event> incident(UUID incidentId) {
    return store.events(incidentId);
  }

  @Override
  public List<Event> incidentAsOf(UUID incidentId, Instant instant, Axis axis) {
    return store.eventsAsOf(incidentId, axis, instant);
  }

  @Override
  public Optional<Event> find(UUID eventId) {
    return byId.apply(eventId);
  }

  @Override
  public void scan(Instant from, Instant to, int batchSize, Consumer<List<Event>> sink) {
    // The scan resumes strictly after a position: one microsecond before `from`, after every id there.
    Position after = new Position(from.truncatedTo(ChronoUnit.MICROS).minus(1, ChronoUnit.MICROS), LAST_ID);
    while (true) {
      Page page = store.scan(after, to, batchSize);
      if (!page.events().isEmpty()) sink.accept(page.events());
      if (page.complete()) return;
      after = page.next();
    }
  }
}
