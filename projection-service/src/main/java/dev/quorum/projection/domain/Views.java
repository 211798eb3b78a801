package dev.quorum.projection.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The shapes the projection shows: an episode as an incident, an incident stream, a timeline entry. */
public final class Views {
  private Views() {}

  /** One episode, shown as an incident (DESIGN §4). Enum values are lower case, like the wire format. */
  public record IncidentView(
      UUID incidentId,
      int episode,
      String status,
      String title,
      String service,
      String severity,
      Instant triggeredAt,
      Instant acknowledgedAt,
      Instant resolvedAt,
      String resolvedBy,
      Instant closedAt,
      Instant lastChangedAt,
      UUID mergedInto,
      List<String> assignees,
      Map<String, String> roles,
      List<RoleChangeView> roleHistory,
      Map<String, String> signals,
      long firingSignals,
      List<Episode.Followup> followups,
      int escalations,
      int escalationLevel,
      int reopens,
      Double secondsToAcknowledge,
      Double secondsToResolve) {}

  public record RoleChangeView(String role, String responder, String assignedBy, Instant at) {}

  /** An incident stream: its counters and its latest episode (null before the first). */
  public record StreamView(
      UUID incidentId,
      int episodes,
      long events,
      long eventsWithoutEffect,
      long eventsOfUnknownType,
      Instant lastIngestedAt,
      IncidentView latest) {}

  /** One event of a timeline, with its effect. */
  public record TimelineView(
      UUID eventId,
      String type,
      int episode,
      String effect,
      String reason,
      Instant occurredAt,
      Instant ingestedAt,
      Instant recordedAt,
      String source,
      String actor,
      String principal,
      JsonNode data) {}

  public static IncidentView incident(UUID incidentId, Episode e) {
    TreeMap<String, String> roles = new TreeMap<>();
    e.roles().forEach((role, who) -> roles.put(role.wire(), who));
    TreeMap<String, String> signals = new TreeMap<>();
    e.signals().forEach((fingerprint, status) -> signals.put(fingerprint, wire(status)));
    return new IncidentView(
        incidentId, e.number(), wire(e.status()), e.title(), e.service(), wire(e.severity()),
        e.triggeredAt(), e.acknowledgedAt(), e.resolvedAt(), wire(e.resolvedBy()), e.closedAt(),
        e.lastChangedAt(), e.mergedInto(),
        e.assignees().stream().sorted().toList(),
        roles,
        e.roleHistory().stream().map(c -> new RoleChangeView(c.role().wire(), c.responder(), c.assignedBy(), c.at())).toList(),
        signals,
        e.firingSignals(),
        new TreeMap<>(e.followups()).values().stream().toList(),
        e.escalations(), e.escalationLevel(), e.reopens(),
        e.timeToAcknowledge().map(Views::seconds).orElse(null),
        e.timeToResolve().map(Views::seconds).orElse(null));
  }

  public static StreamView stream(IncidentState state) {
    return new StreamView(
        state.incidentId(), state.episodeCount(), state.events(), state.withoutEffect(), state.unknown(),
        state.last() == null ? null : state.last().ingestedAt(),
        state.latest().map(e -> incident(state.incidentId(), e)).orElse(null));
  }

  public static TimelineView timeline(TimelineEntry entry) {
    Event e = entry.event();
    return new TimelineView(
        e.id(), e.type(), entry.episode(), wire(entry.effect()), entry.reason(), e.occurredAt(),
        e.stored().ingestedAt(), e.stored().recordedAt(), e.source(), e.actor(), e.principal(),
        EventCodec.dataTree(e.data()));
  }

  private static Double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String wire(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }
}
