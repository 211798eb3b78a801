package dev.quorum.export.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.IncidentEscalated;
import dev.quorum.event.EventData.IncidentMerged;
import dev.quorum.event.EventData.IncidentReopened;
import dev.quorum.event.EventData.IncidentResolved;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.EventData.ResponderAssigned;
import dev.quorum.event.EventData.EscalationReason;
import dev.quorum.event.Severity;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.History;
import dev.quorum.export.domain.Rows.AnalyticsRow;
import dev.quorum.export.domain.Rows.EpisodeRow;
import dev.quorum.export.domain.Rows.TimelineRow;
import dev.quorum.projection.domain.Analytics;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EpisodeSample;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RowsTest {
  private static final LocalDate DAY = LocalDate.of(2026, 6, 15);

  @Test
  void an_episode_row_carries_the_fold_times_and_its_mtta_and_mttr_in_seconds() {
    // Given a trigger, an acknowledgement three minutes later and a resolve nine minutes after the trigger
    History h = History.random();
    h.add(new IncidentTriggered("Checkout errors", "checkout", Severity.CRITICAL, null));
    h.elapse(Duration.ofMinutes(2));
    h.add(new IncidentAcknowledged(), "user:bob");
    h.add(new ResponderAssigned("user:dave"));
    h.elapse(Duration.ofMinutes(4));
    h.add(new IncidentResolved("rolled back"));

    // When its rows are mapped
    Rows.Stream rows = Rows.of(Fold.replay(h.events()));

    // Then the one episode has MTTA 180 s and MTTR 540 s, counted in the analytics of its trigger day
    assertThat(rows.episodes()).hasSize(1);
    EpisodeRow episode = rows.episodes().getFirst();
    assertThat(episode.incidentId()).isEqualTo(h.incidentId());
    assertThat(episode.episode()).isEqualTo(1);
    assertThat(episode.status()).isEqualTo("resolved");
    assertThat(episode.severity()).isEqualTo("critical");
    assertThat(episode.resolvedBy()).isEqualTo("responder");
    assertThat(episode.secondsToAcknowledge()).isEqualTo(180.0);
    assertThat(episode.secondsToResolve()).isEqualTo(540.0);
    assertThat(episode.inAnalytics()).isTrue();
    assertThat(episode.triggerDay()).isEqualTo(DAY);
    assertThat(episode.triggeredAt()).isEqualTo(h.events().getFirst().stored().ingestedAt());
    assertThat(episode.assignees()).isEqualTo("user:dave");
    assertThat(rows.samples()).containsExactly(new EpisodeSample(DAY, "checkout", "critical", 180_000_000L, 540_000_000L, 0, 0));
  }

  @Test
  void a_merged_episode_has_no_mtta_or_mttr_and_stays_out_of_the_analytics() {
    // Given an acknowledged incident merged into another
    UUID target = UUID.randomUUID();
    History h = History.random();
    h.add(new IncidentTriggered("Duplicate page", "orders", Severity.WARNING, null));
    h.add(new IncidentAcknowledged());
    h.add(new IncidentMerged(target));

    // When its rows are mapped
    Rows.Stream rows = Rows.of(Fold.replay(h.events()));

    // Then the episode names its target, and neither it nor its samples count
    EpisodeRow episode = rows.episodes().getFirst();
    assertThat(episode.status()).isEqualTo("merged");
    assertThat(episode.mergedInto()).isEqualTo(target);
    assertThat(episode.acknowledgedAt()).isNotNull();
    assertThat(episode.secondsToAcknowledge()).isNull();
    assertThat(episode.secondsToResolve()).isNull();
    assertThat(episode.inAnalytics()).isFalse();
    assertThat(episode.triggerDay()).isNull();
    assertThat(rows.samples()).isEmpty();
    assertThat(rows.incident().status()).isEqualTo("merged");
    assertThat(rows.incident().mergedInto()).isEqualTo(target);
  }

  @Test
  void the_timeline_holds_every_event_once_in_fold_order_with_its_effect_and_episode() {
    // Given a note before any episode, a trigger, two acknowledgements (the second has no effect) and a repeat
    History h = History.random();
    h.add(new NoteAdded("before anything fired"));
    h.add(new IncidentTriggered("Queue backlog", "orders", Severity.ERROR, null));
    var firstAck = h.add(new IncidentAcknowledged(), "user:alice");
    h.add(new IncidentAcknowledged(), "user:bob");
    List<dev.quorum.event.Event> delivered = new java.util.ArrayList<>(h.events());
    delivered.add(firstAck); // a redelivery
    java.util.Collections.reverse(delivered);

    // When its rows are mapped
    Rows.Stream rows = Rows.of(Fold.replay(delivered));

    // Then four entries, numbered in fold order, each with what it did
    List<TimelineRow> timeline = rows.timeline();
    assertThat(timeline).extracting(TimelineRow::position).containsExactly(1, 2, 3, 4);
    assertThat(timeline).extracting(TimelineRow::eventId).containsExactlyElementsOf(h.events().stream().map(e -> e.id()).toList());
    assertThat(timeline).extracting(TimelineRow::episode).containsExactly(0, 1, 1, 1);
    assertThat(timeline).extracting(TimelineRow::effect).containsExactly("applied", "applied", "applied", "no_effect");
    assertThat(timeline.get(3).reason()).contains("acknowledge needs a triggered incident");
    assertThat(timeline.get(3).actor()).isEqualTo("user:bob");
    assertThat(timeline.get(0).type()).isEqualTo("quorum.note.added");
    assertThat(timeline.get(0).data()).isEqualTo("{\"text\":\"before anything fired\"}");
    assertThat(timeline.get(1).recordedAt()).isEqualTo(h.events().get(1).stored().recordedAt());
    assertThat(timeline.get(1).occurredAt()).isEqualTo(h.events().get(1).occurredAt());
    assertThat(timeline.get(2).sourceOffset()).isEqualTo(h.events().get(2).stored().offset());

    // And the incident row counts them as the fold does
    assertThat(rows.incident().events()).isEqualTo(4);
    assertThat(rows.incident().eventsWithoutEffect()).isEqualTo(1);
    assertThat(rows.incident().episodes()).isEqualTo(1);
    assertThat(rows.incident().status()).isEqualTo("acknowledged");
    assertThat(rows.incident().firstEventAt()).isEqualTo(h.events().getFirst().stored().ingestedAt());
    assertThat(rows.incident().lastEventAt()).isEqualTo(h.events().getLast().stored().ingestedAt());
  }

  @Test
  void a_stream_of_two_episodes_gives_two_rows_and_the_incident_shows_the_latest() {
    // Given an episode resolved and reopened, resolved again, then a new trigger with an escalation
    History h = History.random();
    h.add(new IncidentTriggered("Disk full", "db", Severity.CRITICAL, null));
    h.add(new IncidentResolved(null));
    h.add(new IncidentReopened("still full"));
    h.add(new IncidentResolved(null));
    h.add(new IncidentTriggered("Disk full again", "db", Severity.ERROR, null));
    h.add(new IncidentEscalated(2, "team:storage", EscalationReason.TIMEOUT));

    // When its rows are mapped
    Rows.Stream rows = Rows.of(Fold.replay(h.events()));

    // Then one row per episode, the first with its reopen and its final MTTR, the second open
    assertThat(rows.episodes()).extracting(EpisodeRow::episode).containsExactly(1, 2);
    assertThat(rows.episodes().get(0).reopens()).isEqualTo(1);
    assertThat(rows.episodes().get(0).secondsToResolve()).isEqualTo(180.0);
    assertThat(rows.episodes().get(1).status()).isEqualTo("triggered");
    assertThat(rows.episodes().get(1).escalations()).isEqualTo(1);
    assertThat(rows.episodes().get(1).escalationLevel()).isEqualTo(2);
    assertThat(rows.episodes().get(1).secondsToResolve()).isNull();
    assertThat(rows.incident().episodes()).isEqualTo(2);
    assertThat(rows.incident().title()).isEqualTo("Disk full again");
    assertThat(rows.incident().firstTriggeredAt()).isEqualTo(rows.episodes().get(0).triggeredAt());
  }

  @Test
  void analytics_rows_are_the_projection_buckets_with_means_and_totals() {
    // Given two samples in one bucket (one acknowledged in 60 s, one in 120 s, one resolved in 300 s) and one in another
    Map<BucketKey, Bucket> buckets = new HashMap<>();
    for (EpisodeSample sample : List.of(
        new EpisodeSample(DAY, "checkout", "critical", 60_000_000L, 300_000_000L, 1, 0),
        new EpisodeSample(DAY, "checkout", "critical", 120_000_000L, null, 0, 1),
        new EpisodeSample(DAY.plusDays(1), EpisodeSample.NONE, EpisodeSample.NONE, null, null, 0, 0))) {
      buckets.merge(sample.bucket(), Bucket.EMPTY.plus(sample), Bucket::plus);
    }

    // When rolled up by day, service and severity and mapped
    List<AnalyticsRow> rows = Rows.analytics(Analytics.rollUp(buckets.entrySet(),
        new Analytics.Selection(null, null, null, null), EnumSet.allOf(Analytics.Dimension.class)));

    // Then one row per bucket, in day order
    assertThat(rows).containsExactly(
        new AnalyticsRow(DAY, "checkout", "critical", 2, 2, 90.0, 1, 300.0, 180.0, 300.0, 1, 1),
        new AnalyticsRow(DAY.plusDays(1), "-", "-", 1, 0, null, 0, null, 0.0, 0.0, 0, 0));
  }
}
