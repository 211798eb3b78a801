package dev.quorum.projection.jdbc;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.projection.domain.EventLog;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.store.jdbc.JdbcEventStore;
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
  private final JdbcEventStore store;
  private final Function<UUID, Optional<Event>> byId;

  public StoreEventLog(JdbcEventStore store, Function<UUID, Optional<Event>> byId) {
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
    // In fold order, keyset-paged on the order key: no page boundary can put an event behind a later one.
    Instant recordedFrom = from.truncatedTo(ChronoUnit.MICROS);
    OrderKey after = null;
    while (true) {
      List<Event> page = store.scanInFoldOrder(after, recordedFrom, to, batchSize);
      if (!page.isEmpty()) sink.accept(page);
      if (page.size() < batchSize) return;
      after = page.getLast().orderKey();
    }
  }
}
