package dev.quorum.store.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.store.Incoming;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Events and deliveries for tests: readable payloads, fresh ids, increasing offsets. */
public final class TestEvents {
  public static final Instant T0 = Instant.parse("2026-06-15T02:00:00Z");
  private static final AtomicLong OFFSETS = new AtomicLong();

  private TestEvents() {}

  public static Event note(UUID incidentId, String text) {
    return Event.of(UUID.randomUUID(), "test/unit", incidentId, T0, "user:alice", new EventData.NoteAdded(text));
  }

  public static Event triggered(UUID incidentId) {
    return Event.of(UUID.randomUUID(), "alertmanager/test", incidentId, T0, "integration:alertmanager",
        new EventData.IncidentTriggered("Checkout latency above SLO", "checkout", null, null));
  }

  /** A well-formed envelope of a type this version does not know, with nested data. */
  public static Event unknown(UUID incidentId) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("runbook", "https://runbooks.example/checkout");
    data.putArray("steps").add("drain").add(3).add(1.25);
    return Event.of(UUID.randomUUID(), "test/unit", incidentId, T0, "system:future",
        new EventData.Unknown("quorum.runbook.linked", data));
  }

  /** The same id and envelope with another note text: a conflicting duplicate. */
  public static Event withText(Event event, String text) {
    return new Event(event.id(), event.source(), event.incidentId(), event.occurredAt(), event.actor(),
        event.principal(), new EventData.NoteAdded(text), null);
  }

  /**
   * An event PostgreSQL refuses: text columns cannot hold NUL (SQLSTATE 22021). The codec refuses it too
   * (DESIGN §9), so it reaches the store only from a caller that hands over events it built itself.
   */
  public static Event refusedByDatabase(UUID incidentId) {
    return Event.of(UUID.randomUUID(), "test/unit", incidentId, T0, "user:nul\u0000byte", new EventData.NoteAdded("x"));
  }

  public static Event occurredAt(Event event, Instant occurredAt) {
    return new Event(event.id(), event.source(), event.incidentId(), occurredAt, event.actor(),
        event.principal(), event.data(), null);
  }

  /** A delivery on partition 0 at the next offset, ingested at T0 plus that many milliseconds. */
  public static Incoming incoming(Event event) {
    long offset = OFFSETS.incrementAndGet();
    return new Incoming(event, T0.plus(offset, ChronoUnit.MILLIS), 0, offset);
  }

  public static Incoming incoming(Event event, Instant ingestedAt, int partition, long offset) {
    return new Incoming(event, ingestedAt, partition, offset);
  }
}
