package dev.quorum.ingest;

import dev.quorum.event.Event;
import java.util.Objects;

/**
 * The authenticated sender of a request, which names the {@code source} and {@code actor} of what it
 * publishes (DESIGN §4): a client's token, or Slack's signed workspace and user.
 *
 * @param clientId the client's stable id; recorded as {@code principal} when it acts on behalf of someone
 * @param source the {@code source} of every event it publishes
 * @param actor the {@code actor} of its events, unless it may name another one
 * @param mayActOnBehalf whether an event it sends may name its own {@code actor}
 */
public record Caller(String clientId, String source, String actor, boolean mayActOnBehalf) {

  public Caller {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(actor, "actor");
  }

  /** The {@code principal} recorded on an event this caller sent on behalf of another actor. */
  public String principal() {
    return "client:" + clientId;
  }

  /**
   * The event as this caller may publish it: the source is always the caller's; the actor is the
   * caller's unless it may act on behalf of others, in which case the event keeps both.
   */
  public Event stamp(Event event) {
    boolean onBehalf = mayActOnBehalf && !event.actor().equals(actor);
    return new Event(
        event.id(),
        source,
        event.incidentId(),
        event.occurredAt(),
        onBehalf ? event.actor() : actor,
        onBehalf ? principal() : null,
        event.data(),
        event.stored());
  }
}
