package dev.quorum.export.domain;

import dev.quorum.export.domain.Rows.AnalyticsRow;
import dev.quorum.export.domain.Rows.EpisodeRow;
import dev.quorum.export.domain.Rows.IncidentRow;
import dev.quorum.export.domain.Rows.TimelineRow;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The four tables of an export and their columns: the one place that names them. Ids are text (every BI
 * tool reads it), times are {@code TIMESTAMPTZ} (UTC, microseconds), durations are seconds.
 */
public final class Tables {
  private Tables() {}

  private static final String TEXT = "VARCHAR";
  private static final String TIME = "TIMESTAMPTZ";

  public static final Table<IncidentRow> INCIDENTS = new Table<>("incidents", List.of(
      id("incident_id", IncidentRow::incidentId),
      new Column<>("episodes", "INTEGER", IncidentRow::episodes),
      new Column<>("events", "BIGINT", IncidentRow::events),
      new Column<>("events_without_effect", "BIGINT", IncidentRow::eventsWithoutEffect),
      new Column<>("events_of_unknown_type", "BIGINT", IncidentRow::eventsOfUnknownType),
      new Column<>("status", TEXT, IncidentRow::status),
      new Column<>("title", TEXT, IncidentRow::title),
      new Column<>("service", TEXT, IncidentRow::service),
      new Column<>("severity", TEXT, IncidentRow::severity),
      id("merged_into", IncidentRow::mergedInto),
      new Column<>("first_triggered_at", TIME, IncidentRow::firstTriggeredAt),
      new Column<>("last_changed_at", TIME, IncidentRow::lastChangedAt),
      new Column<>("first_event_at", TIME, IncidentRow::firstEventAt),
      new Column<>("last_event_at", TIME, IncidentRow::lastEventAt),
      new Column<>("open_followups", "INTEGER", IncidentRow::openFollowups)));

  public static final Table<EpisodeRow> EPISODES = new Table<>("episodes", List.of(
      id("incident_id", EpisodeRow::incidentId),
      new Column<>("episode", "INTEGER", EpisodeRow::episode),
      new Column<>("status", TEXT, EpisodeRow::status),
      new Column<>("title", TEXT, EpisodeRow::title),
      new Column<>("service", TEXT, EpisodeRow::service),
      new Column<>("severity", TEXT, EpisodeRow::severity),
      new Column<>("triggered_at", TIME, EpisodeRow::triggeredAt),
      new Column<>("acknowledged_at", TIME, EpisodeRow::acknowledgedAt),
      new Column<>("resolved_at", TIME, EpisodeRow::resolvedAt),
      new Column<>("resolved_by", TEXT, EpisodeRow::resolvedBy),
      new Column<>("closed_at", TIME, EpisodeRow::closedAt),
      new Column<>("last_changed_at", TIME, EpisodeRow::lastChangedAt),
      id("merged_into", EpisodeRow::mergedInto),
      new Column<>("seconds_to_acknowledge", "DOUBLE", EpisodeRow::secondsToAcknowledge),
      new Column<>("seconds_to_resolve", "DOUBLE", EpisodeRow::secondsToResolve),
      new Column<>("in_analytics", "BOOLEAN", EpisodeRow::inAnalytics),
      new Column<>("trigger_day", "DATE", EpisodeRow::triggerDay),
      new Column<>("escalations", "INTEGER", EpisodeRow::escalations),
      new Column<>("escalation_level", "INTEGER", EpisodeRow::escalationLevel),
      new Column<>("reopens", "INTEGER", EpisodeRow::reopens),
      new Column<>("assignees", TEXT, EpisodeRow::assignees),
      new Column<>("signals", "INTEGER", EpisodeRow::signals),
      new Column<>("firing_signals", "INTEGER", EpisodeRow::firingSignals),
      new Column<>("followups", "INTEGER", EpisodeRow::followups),
      new Column<>("open_followups", "INTEGER", EpisodeRow::openFollowups)));

  public static final Table<TimelineRow> TIMELINE = new Table<>("timeline", List.of(
      id("incident_id", TimelineRow::incidentId),
      new Column<>("position", "INTEGER", TimelineRow::position),
      new Column<>("episode", "INTEGER", TimelineRow::episode),
      id("event_id", TimelineRow::eventId),
      new Column<>("type", TEXT, TimelineRow::type),
      new Column<>("effect", TEXT, TimelineRow::effect),
      new Column<>("reason", TEXT, TimelineRow::reason),
      new Column<>("actor", TEXT, TimelineRow::actor),
      new Column<>("principal", TEXT, TimelineRow::principal),
      new Column<>("source", TEXT, TimelineRow::source),
      new Column<>("occurred_at", TIME, TimelineRow::occurredAt),
      new Column<>("ingested_at", TIME, TimelineRow::ingestedAt),
      new Column<>("recorded_at", TIME, TimelineRow::recordedAt),
      new Column<>("source_partition", "INTEGER", TimelineRow::sourcePartition),
      new Column<>("source_offset", "BIGINT", TimelineRow::sourceOffset),
      new Column<>("data", TEXT, TimelineRow::data)));

  public static final Table<AnalyticsRow> ANALYTICS = new Table<>("analytics", List.of(
      new Column<>("day", "DATE", AnalyticsRow::day),
      new Column<>("service", TEXT, AnalyticsRow::service),
      new Column<>("severity", TEXT, AnalyticsRow::severity),
      new Column<>("episodes", "BIGINT", AnalyticsRow::episodes),
      new Column<>("acknowledged", "BIGINT", AnalyticsRow::acknowledged),
      new Column<>("mean_seconds_to_acknowledge", "DOUBLE", AnalyticsRow::meanSecondsToAcknowledge),
      new Column<>("resolved", "BIGINT", AnalyticsRow::resolved),
      new Column<>("mean_seconds_to_resolve", "DOUBLE", AnalyticsRow::meanSecondsToResolve),
      new Column<>("total_seconds_to_acknowledge", "DOUBLE", AnalyticsRow::totalSecondsToAcknowledge),
      new Column<>("total_seconds_to_resolve", "DOUBLE", AnalyticsRow::totalSecondsToResolve),
      new Column<>("escalations", "BIGINT", AnalyticsRow::escalations),
      new Column<>("reopens", "BIGINT", AnalyticsRow::reopens)));

  /** Every table, in the order an export writes them. */
  public static final List<Table<?>> ALL = List.of(INCIDENTS, EPISODES, TIMELINE, ANALYTICS);

  private static <R> Column<R> id(String name, Function<R, UUID> value) {
    return new Column<>(name, TEXT, row -> {
      UUID id = value.apply(row);
      return id == null ? null : id.toString();
    });
  }
}
