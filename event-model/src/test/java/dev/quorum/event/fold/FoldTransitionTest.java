package dev.quorum.event.fold;

import static dev.quorum.event.testing.Catalogue.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.fold.Episode.ResolvedBy;
import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.event.testing.History;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FoldTransitionTest {
  private static final UUID OTHER = UUID.fromString("11111111-2222-4333-8444-555555555555");

  private final History history = History.random();

  private IncidentState state() {
    return Fold.fold(history.events());
  }

  private Episode latest() {
    return state().latest().orElseThrow();
  }

  private TimelineEntry lastEntry() {
    return Fold.timeline(history.events()).getLast();
  }

  @Nested
  class Opening_an_episode {
    @Test
    void a_trigger_with_no_episode_opens_the_first_one() {
      Event trigger = history.add(triggered());

      assertThat(latest().number()).isEqualTo(1);
      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
      assertThat(latest().triggeredAt()).isEqualTo(trigger.stored().ingestedAt());
      assertThat(latest().title()).isEqualTo("Checkout latency above SLO");
      assertThat(latest().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void a_trigger_after_the_resolve_opens_a_new_episode() {
      history.add(triggered());
      history.add(resolved());
      history.add(triggered());

      assertThat(state().episodes()).extracting(Episode::number, Episode::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, Status.RESOLVED),
              org.assertj.core.groups.Tuple.tuple(2, Status.TRIGGERED));
    }

    @Test
    void a_trigger_after_the_close_opens_a_new_episode() {
      history.add(triggered());
      history.add(resolved());
      history.add(closed());
      history.add(triggered());

      assertThat(state().episodes()).extracting(Episode::status).containsExactly(Status.CLOSED, Status.TRIGGERED);
    }

    @Test
    void a_fired_alert_with_no_open_episode_opens_one_and_attaches_the_signal() {
      history.add(fired("fp-1"));

      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
      assertThat(latest().signals()).containsEntry("fp-1", SignalStatus.FIRING);
      assertThat(latest().title()).isEqualTo("HighLatency fp-1");
    }

    @Test
    void the_same_alert_group_firing_again_next_week_opens_a_new_episode() {
      history.add(fired("fp-1"));
      history.add(signalResolved("fp-1"));
      history.elapse(Duration.ofDays(7));
      history.add(fired("fp-1"));

      assertThat(state().episodes()).hasSize(2);
      assertThat(latest().number()).isEqualTo(2);
      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
    }
  }

  @Nested
  class Signals {
    @Test
    void a_fired_alert_on_an_open_episode_attaches_the_signal() {
      history.add(triggered());
      history.add(fired("fp-2"));

      assertThat(state().episodes()).hasSize(1);
      assertThat(latest().signals()).containsEntry("fp-2", SignalStatus.FIRING);
    }

    @Test
    void the_resolve_of_the_last_firing_signal_resolves_the_episode_by_source() {
      history.add(fired("fp-1"));
      history.add(fired("fp-2"));
      history.add(signalResolved("fp-1"));
      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);

      Event last = history.add(signalResolved("fp-2"));

      assertThat(latest().status()).isEqualTo(Status.RESOLVED);
      assertThat(latest().resolvedBy()).isEqualTo(ResolvedBy.SOURCE);
      assertThat(latest().resolvedAt()).isEqualTo(last.stored().ingestedAt());
    }

    @Test
    void a_resolved_signal_that_fires_again_in_the_open_episode_fires_again() {
      history.add(fired("fp-1"));
      history.add(fired("fp-2"));
      history.add(signalResolved("fp-1"));
      history.add(fired("fp-1"));

      assertThat(latest().signals()).containsEntry("fp-1", SignalStatus.FIRING);
      assertThat(lastEntry().effect()).isEqualTo(Effect.APPLIED);
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void the_first_ack_of_the_episode_sets_acknowledged_at_and_later_acks_keep_it() {
      history.add(triggered());
      Event firstAck = history.add(ack());
      history.add(unack());
      history.add(ack());

      assertThat(latest().status()).isEqualTo(Status.ACKNOWLEDGED);
      assertThat(latest().acknowledgedAt()).isEqualTo(firstAck.stored().ingestedAt());
    }

    @Test
    void unacknowledge_returns_an_acknowledged_episode_to_triggered() {
      history.add(triggered());
      history.add(ack());
      history.add(unack());

      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
    }

    @Test
    void mitigate_works_from_triggered_and_from_acknowledged() {
      history.add(triggered());
      history.add(mitigated());
      assertThat(latest().status()).isEqualTo(Status.MITIGATED);

      History other = History.random();
      other.add(triggered());
      other.add(ack());
      other.add(mitigated());
      assertThat(Fold.fold(other.events()).latest().orElseThrow().status()).isEqualTo(Status.MITIGATED);
    }

    @ParameterizedTest(name = "resolve from {0}")
    @MethodSource("dev.quorum.event.fold.FoldTransitionTest#openStates")
    void resolve_works_from_every_open_state(String name, List<EventData> setup) {
      setup.forEach(history::add);
      Event resolve = history.add(resolved());

      assertThat(latest().status()).isEqualTo(Status.RESOLVED);
      assertThat(latest().resolvedBy()).isEqualTo(ResolvedBy.RESPONDER);
      assertThat(latest().resolvedAt()).isEqualTo(resolve.stored().ingestedAt());
    }

    @Test
    void reopen_returns_to_triggered_in_the_same_episode_clearing_resolved_at_and_keeping_acknowledged_at() {
      history.add(triggered());
      Event ack = history.add(ack());
      history.add(resolved());
      history.add(reopened());

      assertThat(state().episodes()).hasSize(1);
      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
      assertThat(latest().resolvedAt()).isNull();
      assertThat(latest().acknowledgedAt()).isEqualTo(ack.stored().ingestedAt());
      assertThat(latest().reopens()).isEqualTo(1);
      assertThat(latest().timeToResolve()).isEmpty();
    }

    @Test
    void close_moves_a_resolved_episode_to_closed() {
      history.add(triggered());
      history.add(resolved());
      Event close = history.add(closed());

      assertThat(latest().status()).isEqualTo(Status.CLOSED);
      assertThat(latest().closedAt()).isEqualTo(close.stored().ingestedAt());
    }

    @ParameterizedTest(name = "merge from {0}")
    @MethodSource("dev.quorum.event.fold.FoldTransitionTest#openStates")
    void merge_works_from_every_open_state_and_excludes_the_episode_from_mtta_and_mttr(String name, List<EventData> setup) {
      setup.forEach(history::add);
      history.add(mergedInto(OTHER));

      assertThat(latest().status()).isEqualTo(Status.MERGED);
      assertThat(latest().mergedInto()).isEqualTo(OTHER);
      assertThat(latest().countsForAnalytics()).isFalse();
      assertThat(latest().timeToAcknowledge()).isEmpty();
      assertThat(latest().timeToResolve()).isEmpty();
    }

    @Test
    void later_signals_of_a_merged_stream_are_flagged_for_the_target() {
      history.add(fired("fp-1"));
      history.add(mergedInto(OTHER));
      history.add(fired("fp-9"));

      assertThat(state().episodes()).hasSize(1);
      assertThat(lastEntry().effect()).isEqualTo(Effect.NO_EFFECT);
      assertThat(lastEntry().reason()).contains(OTHER.toString());
    }

    @Test
    void the_source_resolving_a_moved_alert_is_kept_on_the_merged_episode() {
      history.add(fired("fp-1"));
      history.add(mergedInto(OTHER));
      history.add(signalResolved("fp-1"));

      assertThat(lastEntry().effect()).isEqualTo(Effect.APPLIED);
      assertThat(latest().status()).isEqualTo(Status.MERGED);
      assertThat(latest().signals()).containsEntry("fp-1", SignalStatus.RESOLVED);
    }

    @Test
    void a_firing_after_every_moved_alert_resolved_opens_a_new_episode_on_the_source() {
      history.add(fired("fp-1"));
      history.add(mergedInto(OTHER));
      history.add(signalResolved("fp-1"));
      Event next = history.add(fired("fp-1"));

      assertThat(state().episodes()).hasSize(2);
      assertThat(latest().number()).isEqualTo(2);
      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
      assertThat(latest().triggeredAt()).isEqualTo(next.stored().ingestedAt());
      assertThat(latest().signals()).containsEntry("fp-1", SignalStatus.FIRING);
      assertThat(state().episode(1).orElseThrow().status()).isEqualTo(Status.MERGED);
    }

    @Test
    void a_trigger_after_a_merge_without_firing_alerts_opens_a_new_episode() {
      history.add(triggered());
      history.add(mergedInto(OTHER));
      history.add(triggered());

      assertThat(latest().number()).isEqualTo(2);
      assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
    }
  }

  @Nested
  class Attributes_of_an_open_episode {
    @Test
    void escalations_are_counted_with_the_latest_level() {
      history.add(triggered());
      history.add(escalated(1));
      history.add(escalated(2));

      assertThat(latest().escalations()).isEqualTo(2);
      assertThat(latest().escalationLevel()).isEqualTo(2);
    }

    @Test
    void responders_are_assigned_and_unassigned() {
      history.add(triggered());
      history.add(assigned("user:alice"));
      history.add(assigned("user:bob"));
      history.add(unassigned("user:alice"));

      assertThat(latest().assignees()).containsExactly("user:bob");
    }

    @Test
    void roles_keep_their_history() {
      history.add(triggered());
      history.add(role(Role.COMMANDER, "user:alice"));
      history.add(role(Role.COMMANDER, "user:bob"), "user:carol");
      history.add(role(Role.SCRIBE, "user:dan"));

      assertThat(latest().roles()).containsEntry(Role.COMMANDER, "user:bob").containsEntry(Role.SCRIBE, "user:dan");
      assertThat(latest().roleHistory()).extracting(Episode.RoleChange::responder)
          .containsExactly("user:alice", "user:bob", "user:dan");
      assertThat(latest().roleHistory().get(1).assignedBy()).isEqualTo("user:carol");
    }

    @Test
    void severity_changes() {
      history.add(triggered());
      history.add(severity(Severity.WARNING));

      assertThat(latest().severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void a_note_stays_in_the_timeline_in_any_state() {
      history.add(triggered());
      history.add(resolved());
      history.add(closed());
      history.add(note("postmortem scheduled"));

      assertThat(lastEntry().effect()).isEqualTo(Effect.APPLIED);
      assertThat(lastEntry().episode()).isEqualTo(1);
      assertThat(latest().status()).isEqualTo(Status.CLOSED);
    }

    @Test
    void follow_ups_are_created_and_completed_after_the_resolve_too() {
      history.add(triggered());
      history.add(resolved());
      history.add(followup("F-1"));
      history.add(followupDone("F-1"));

      assertThat(latest().followups().get("F-1").completed()).isTrue();
    }

    @Test
    void a_follow_up_of_an_earlier_episode_is_completed_after_the_stream_fires_again() {
      history.add(triggered());
      history.add(resolved());
      history.add(followup("F-1"));
      history.add(fired("fp-a")); // episode 2 opens

      Event done = history.add(followupDone("F-1"));

      assertThat(state().episode(1).orElseThrow().followups().get("F-1").completed()).isTrue();
      assertThat(state().episode(1).orElseThrow().lastChangedAt()).isEqualTo(done.stored().ingestedAt());
      assertThat(latest().number()).isEqualTo(2);
      assertThat(lastEntry().effect()).isEqualTo(Effect.APPLIED);
      assertThat(lastEntry().episode()).isEqualTo(1);
      assertThat(state().openFollowups()).isEmpty();
    }

    @Test
    void a_state_without_history_completes_an_earlier_follow_up_from_the_episodes_it_is_handed() {
      history.add(triggered());
      history.add(resolved());
      history.add(followup("F-1"));
      history.add(fired("fp-a"));
      IncidentState full = state();
      Event done = history.add(followupDone("F-1"));

      Step step = Fold.apply(full.withoutHistory(), done, number -> full.episode(number).orElse(null));

      Episode expected = state().episode(1).orElseThrow();
      assertThat(step.before()).isEqualTo(full.episode(1).orElseThrow());
      assertThat(step.after()).isEqualTo(expected);
      assertThat(step.state().withoutHistory()).isEqualTo(state().withoutHistory());
    }

    @Test
    void a_follow_up_id_still_open_on_an_earlier_episode_is_not_created_twice() {
      history.add(triggered());
      history.add(resolved());
      history.add(followup("F-1"));
      history.add(fired("fp-a"));

      history.add(followup("F-1"));

      assertThat(lastEntry().effect()).isEqualTo(Effect.NO_EFFECT);
      assertThat(lastEntry().reason()).isEqualTo("follow-up F-1 is still open on episode 1");
    }
  }

  @Nested
  class Analytics_samples {
    @Test
    void mtta_and_mttr_are_measured_on_broker_append_time() {
      Event trigger = history.add(triggered());
      history.elapse(Duration.ofMinutes(3));
      Event ack = history.add(ack());
      history.elapse(Duration.ofMinutes(40));
      Event resolve = history.add(resolved());

      assertThat(latest().timeToAcknowledge()).contains(Duration.between(trigger.stored().ingestedAt(), ack.stored().ingestedAt()));
      assertThat(latest().timeToResolve()).contains(Duration.between(trigger.stored().ingestedAt(), resolve.stored().ingestedAt()));
    }

    @Test
    void mttr_uses_the_final_resolve_after_a_reopen() {
      history.add(triggered());
      history.add(resolved());
      history.add(reopened());
      history.elapse(Duration.ofHours(1));
      Event finalResolve = history.add(resolved());

      assertThat(latest().resolvedAt()).isEqualTo(finalResolve.stored().ingestedAt());
    }
  }

  static Stream<Arguments> openStates() {
    return Stream.of(
        arguments("triggered", List.of(triggered())),
        arguments("acknowledged", List.of(triggered(), ack())),
        arguments("mitigated", List.of(triggered(), mitigated())));
  }

  /** Every action that makes no sense in the state it meets: kept in the timeline, flagged, no change. */
  static Stream<Arguments> actionsWithoutEffect() {
    UUID self = UUID.fromString("99999999-2222-4333-8444-555555555555");
    return Stream.of(
        arguments("ack after the resolve", List.of(triggered(), resolved()), ack()),
        arguments("ack with no incident", List.of(), ack()),
        arguments("second ack", List.of(triggered(), ack()), ack()),
        arguments("ack when mitigated", List.of(triggered(), mitigated()), ack()),
        arguments("unack when triggered", List.of(triggered()), unack()),
        arguments("mitigate when mitigated", List.of(triggered(), mitigated()), mitigated()),
        arguments("mitigate when resolved", List.of(triggered(), resolved()), mitigated()),
        arguments("resolve when resolved", List.of(triggered(), resolved()), resolved()),
        arguments("resolve with no incident", List.of(), resolved()),
        arguments("reopen when open", List.of(triggered()), reopened()),
        arguments("reopen when closed", List.of(triggered(), resolved(), closed()), reopened()),
        arguments("close when open", List.of(triggered()), closed()),
        arguments("close when closed", List.of(triggered(), resolved(), closed()), closed()),
        arguments("merge when resolved", List.of(triggered(), resolved()), mergedInto(OTHER)),
        arguments("merge into itself", List.of(triggered()), mergedInto(self)),
        arguments("trigger when open", List.of(triggered()), triggered()),
        arguments("trigger when merged with a firing alert", List.of(fired("fp"), mergedInto(OTHER)), triggered()),
        arguments("fire a firing signal", List.of(fired("fp")), fired("fp")),
        arguments("resolve a signal that is not firing", List.of(fired("fp")), signalResolved("other")),
        arguments("resolve a signal when resolved", List.of(triggered(), resolved()), signalResolved("fp")),
        arguments("escalate when resolved", List.of(triggered(), resolved()), escalated(2)),
        arguments("assign when closed", List.of(triggered(), resolved(), closed()), assigned("user:a")),
        arguments("assign twice", List.of(triggered(), assigned("user:a")), assigned("user:a")),
        arguments("unassign someone not assigned", List.of(triggered()), unassigned("user:a")),
        arguments("give a role to its holder", List.of(triggered(), role(Role.SCRIBE, "user:a")), role(Role.SCRIBE, "user:a")),
        arguments("set the same severity", List.of(triggered()), severity(Severity.CRITICAL)),
        arguments("change severity when resolved", List.of(triggered(), resolved()), severity(Severity.INFO)),
        arguments("follow-up with no incident", List.of(), followup("F")),
        arguments("create a follow-up twice", List.of(triggered(), followup("F")), followup("F")),
        arguments("complete a missing follow-up", List.of(triggered()), followupDone("F")),
        arguments("complete a follow-up twice", List.of(triggered(), followup("F"), followupDone("F")), followupDone("F")));
  }

  // Every test sits in a nested class: Surefire counts the outer class's own tests under the nested class
  // that ran last and reports "Tests run: 0" for the outer one, which hid these 32 from its line.
  @Nested
  class Actions_without_effect {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.quorum.event.fold.FoldTransitionTest#actionsWithoutEffect")
    void an_action_that_makes_no_sense_is_kept_and_flagged_and_changes_nothing(
        String name, List<EventData> setup, EventData action) {
      History h = History.of(UUID.fromString("99999999-2222-4333-8444-555555555555"));
      setup.forEach(h::add);
      IncidentState before = h.events().isEmpty() ? null : Fold.fold(h.events());
      Event late = h.add(action);

      List<TimelineEntry> timeline = Fold.timeline(h.events());
      IncidentState after = Fold.fold(h.events());

      assertThat(timeline).hasSize(setup.size() + 1);
      assertThat(timeline.getLast().event()).isEqualTo(late);
      assertThat(timeline.getLast().effect()).isEqualTo(Effect.NO_EFFECT);
      assertThat(timeline.getLast().reason()).isNotBlank();
      assertThat(after.episodes()).isEqualTo(before == null ? List.of() : before.episodes());
      assertThat(after.withoutEffect()).isEqualTo(before == null ? 1 : before.withoutEffect() + 1);
    }

    @Test
    void an_unknown_type_is_kept_in_the_timeline_with_no_effect() {
      history.add(triggered());
      IncidentState before = state();
      history.add(unknown("quorum.incident.snoozed"));

      assertThat(lastEntry().effect()).isEqualTo(Effect.UNKNOWN_TYPE);
      assertThat(state().episodes()).isEqualTo(before.episodes());
      assertThat(state().unknown()).isEqualTo(1);
    }
  }
}
