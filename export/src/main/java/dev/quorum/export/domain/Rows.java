package dev.quorum.export.domain;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.Analytics;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.EpisodeSample;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The rows of an export, mapped from the fold's own results: one incident stream's {@link Fold.Replay}
 * gives its incident row, one row per episode (with the MTTA/MTTR samples the projection's analytics
 * take, {@link EpisodeSample}) and one row per timeline entry; the analytics rows are the projection's
 * daily buckets ({@link Bucket}) rolled up by day, service and severity.
 */
public final class Rows {
  private Rows() {}

  /** One incident stream: counters and its latest episode. */
  public record IncidentRow(
      UUID incidentId, int episodes, long events, long eventsWithoutEffect, long eventsOfUnknownType, String status,
      String title, String service, String severity, UUID mergedInto, Instant firstTriggeredAt, Instant lastChangedAt,
      Instant firstEventAt, Instant lastEventAt, int openFollowups) {}

  /** One episode, shown as an incident by the views, with its MTTA and MTTR in seconds (null when none). */
  public record EpisodeRow(
      UUID incidentId, int episode, String status, String title, String service, String severity,
      Instant triggeredAt, Instant acknowledgedAt, Instant resolvedAt, String resolvedBy, Instant closedAt,
      Instant lastChangedAt, UUID mergedInto, Double secondsToAcknowledge, Double secondsToResolve,
      boolean inAnalytics, LocalDate triggerDay, int escalations, int escalationLevel, int reopens, String assignees,
      int signals, int firingSignals, int followups, int openFollowups) {}

  /** One event as the timeline shows it: its place in fold order, its episode, its effect and the stored event. */
  public record TimelineRow(
      UUID incidentId, int position, int episode, UUID eventId, String type, String effect, String reason,
      String actor, String principal, String source, Instant occurredAt, Instant ingestedAt, Instant recordedAt,
      int sourcePartition, long sourceOffset, String data) {}

  /** One analytics bucket: a UTC trigger day, a service and a severity, as {@code /v1/analytics/daily} answers. */
  public record AnalyticsRow(
      LocalDate day, String service, String severity, long episodes, long acknowledged, Double meanSecondsToAcknowledge,
      long resolved, Double meanSecondsToResolve, double totalSecondsToAcknowledge, double totalSecondsToResolve,
      long escalations, long reopens) {}

  /** What one incident stream adds to an export. */
  public record Stream(IncidentRow incident, List<EpisodeRow> episodes, List<TimelineRow> timeline,
      List<EpisodeSample> samples) {}

  /** The rows of one incident stream folded by {@link Fold#replay}. */
  public static Stream of(Fold.Replay replay) {
    IncidentState state = replay.state();
    List<TimelineEntry> entries = replay.timeline();
    Optional<Episode> latest = state.latest();
    IncidentRow incident = new IncidentRow(
        state.incidentId(), state.episodeCount(), state.events(), state.withoutEffect(), state.unknown(),
        latest.map(e -> lower(e.status())).orElse(null),
        latest.map(Episode::title).orElse(null),
        latest.map(Episode::service).orElse(null),
        latest.map(e -> lower(e.severity())).orElse(null),
        latest.map(Episode::mergedInto).orElse(null),
        state.episodes().isEmpty() ? null : state.episodes().getFirst().triggeredAt(),
        latest.map(Episode::lastChangedAt).orElse(null),
        entries.isEmpty() ? null : entries.getFirst().event().stored().ingestedAt(),
        state.last() == null ? null : state.last().ingestedAt(),
        state.openFollowups().size());
    List<EpisodeRow> episodes = new ArrayList<>(state.episodes().size());
    List<EpisodeSample> samples = new ArrayList<>(state.episodes().size());
    for (Episode episode : state.episodes()) {
      Optional<EpisodeSample> sample = EpisodeSample.of(episode);
      sample.ifPresent(samples::add);
      episodes.add(episode(state.incidentId(), episode, sample.orElse(null)));
    }
    List<TimelineRow> timeline = new ArrayList<>(entries.size());
    for (TimelineEntry entry : entries) timeline.add(timeline(timeline.size() + 1, entry));
    return new Stream(incident, episodes, timeline, samples);
  }

  static EpisodeRow episode(UUID incidentId, Episode e, EpisodeSample sample) {
    return new EpisodeRow(
        incidentId, e.number(), lower(e.status()), e.title(), e.service(), lower(e.severity()),
        e.triggeredAt(), e.acknowledgedAt(), e.resolvedAt(), lower(e.resolvedBy()), e.closedAt(), e.lastChangedAt(),
        e.mergedInto(),
        sample == null ? null : seconds(sample.microsToAcknowledge()),
        sample == null ? null : seconds(sample.microsToResolve()),
        sample != null, sample == null ? null : sample.day(),
        e.escalations(), e.escalationLevel(), e.reopens(),
        e.assignees().isEmpty() ? null : String.join(",", e.assignees()),
        e.signals().size(), (int) e.firingSignals(),
        e.followups().size(), (int) e.followups().values().stream().filter(f -> !f.completed()).count());
  }

  static TimelineRow timeline(int position, TimelineEntry entry) {
    Event event = entry.event();
    return new TimelineRow(
        event.incidentId(), position, entry.episode(), event.id(), event.type(), lower(entry.effect()), entry.reason(),
        event.actor(), event.principal(), event.source(), event.occurredAt(), event.stored().ingestedAt(),
        event.stored().recordedAt(), event.stored().partition(), event.stored().offset(),
        EventCodec.dataText(event.data()));
  }

  /** The analytics rows of a roll-up by day, service and severity ({@link Analytics#rollUp}). */
  public static List<AnalyticsRow> analytics(List<Analytics.Row> rolledUp) {
    List<AnalyticsRow> rows = new ArrayList<>(rolledUp.size());
    for (Analytics.Row row : rolledUp) {
      Bucket b = row.bucket();
      rows.add(new AnalyticsRow(row.day(), row.service(), row.severity(), b.episodes(), b.acknowledged(),
          b.meanSecondsToAcknowledge(), b.resolved(), b.meanSecondsToResolve(), b.microsToAcknowledge() / 1e6,
          b.microsToResolve() / 1e6, b.escalations(), b.reopens()));
    }
    return rows;
  }

  private static Double seconds(Long micros) {
    return micros == null ? null : micros / 1e6;
  }

  private static String lower(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }
}
