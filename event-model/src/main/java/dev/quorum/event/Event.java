package dev.quorum.event;

import dev.quorum.event.fold.OrderKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One responder action or signal: the CloudEvents envelope (DESIGN §3) with its typed payload.
 *
 * @param id the event id: primary key and idempotency key
 * @param source which producer (CloudEvents {@code source}), from the authenticated principal
 * @param incidentId the incident stream (CloudEvents {@code subject}); also the Kafka key
 * @param occurredAt when the producer says it happened (CloudEvents {@code time})
 * @param actor who did it: {@code user:}, {@code integration:} or {@code system:}
 * @param principal the authenticated principal when it acted on behalf of {@code actor}, else null
 * @param data the type-specific payload
 * @param stored what the pipeline fixed at first store, or null before that
 */
public record Event(
    UUID id,
    String source,
    UUID incidentId,
    Instant occurredAt,
    String actor,
    String principal,
    EventData data,
    Stored stored) {

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(data, "data");
    occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** A new, not yet stored event. */
  public static Event of(
      UUID id, String source, UUID incidentId, Instant occurredAt, String actor, EventData data) {
    return new Event(id, source, incidentId, occurredAt, actor, null, data, null);
  }

  public String type() {
    return data.type();
  }

  public boolean isStored() {
    return stored != null;
  }

  public Event withStored(Stored newStored) {
    return new Event(id, source, incidentId, occurredAt, actor, principal, data, newStored);
  }

  public Event withPrincipal(String newPrincipal) {
    return new Event(id, source, incidentId, occurredAt, actor, newPrincipal, data, stored);
  }

  /** The event without what the pipeline added: what a producer sent. */
  public Event unstored() {
    return stored == null ? this : withStored(null);
  }

  /** The record's order (DESIGN §5); only stored events have one. */
  public OrderKey orderKey() {
    if (stored == null) {
      throw new IllegalStateException("event " + id + " is not stored: it has no order yet");
    }
    return new OrderKey(stored.ingestedAt(), stored.partition(), stored.offset(), id);
  }
}
