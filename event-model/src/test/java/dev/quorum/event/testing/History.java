package dev.quorum.event.testing;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Ids;
import dev.quorum.event.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds one incident stream's stored events in record order: each event is appended one step after
 * the previous one on a single partition, as the writer would have stored it.
 */
public final class History {
  public static final Instant START = Instant.parse("2026-06-15T02:00:00Z");

  private final UUID incidentId;
  private final List<Event> events = new ArrayList<>();
  private Instant clock;
  private final Duration step;
  private final int partition;
  private long offset;

  private History(UUID incidentId, Instant start, Duration step, int partition) {
    this.incidentId = incidentId;
    this.clock = start;
    this.step = step;
    this.partition = partition;
  }

  public static History of(UUID incidentId) {
    return new History(incidentId, START, Duration.ofMinutes(1), 0);
  }

  public static History random() {
    return of(UUID.randomUUID());
  }

  public UUID incidentId() {
    return incidentId;
  }

  /** Appends an event with the given payload, by {@code user:alice}. */
  public Event add(EventData data) {
    return add(data, "user:alice");
  }

  public Event add(EventData data, String actor) {
    clock = clock.plus(step);
    Instant occurred = clock.minusSeconds(2); // producer clocks run a little behind the broker here
    Event event = new Event(Ids.newEventId(), "test/history", incidentId, occurred, actor, null, data,
        new Stored(clock, clock.plusMillis(250), partition, offset++));
    events.add(event);
    return event;
  }

  /** Moves the broker clock forward without an event. */
  public History elapse(Duration duration) {
    clock = clock.plus(duration);
    return this;
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public Instant now() {
    return clock;
  }
}
