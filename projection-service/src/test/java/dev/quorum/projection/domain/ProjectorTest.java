package dev.quorum.projection.domain;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.escalated;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.followup;
import static dev.quorum.event.testing.Catalogue.followupDone;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static dev.quorum.event.testing.Catalogue.unassigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.Stored;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.Projector.Outcome;
import dev.quorum.projection.testing.InMemoryViewStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectorTest {

  private final InMemoryViewStore store = new InMemoryViewStore();
  private final Map<String, Episode> changedEpisodes = new HashMap<>();
  private final Projector projector = new Projector(store, new Projector.Changes() {
    @Override
    public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {
      changedEpisodes.put(incidentId + "/" + number, after);
    }
  });

  @Test
  void events_in_record_order_are_applied_incrementally() {
    // Given
    History history = History.random();
    List<Event> events = List.of(history.add(triggered()), history.add(ack()), history.add(resolved()));

    // When
    List<Outcome> outcomes = events.stream().map(projector::project).toList();

    // Then
    assertThat(outcomes).containsOnly(Outcome.APPLIED);
    assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(events).withoutHistory());
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(events));
  }

  @Test
  void a_redelivered_event_is_a_duplicate_and_changes_nothing() {
    // Given
    History history = History.random();
    Event trigger = history.add(triggered());
    projector.project(trigger);
    changedEpisodes.clear();

    // When
    Outcome outcome = projector.project(trigger);

    // Then
    assertThat(outcome).isEqualTo(Outcome.DUPLICATE);
    assertThat(changedEpisodes).isEmpty();
    assertThat(store.timeline(history.incidentId())).hasSize(1);
  }

  @Test
  void a_late_event_refolds_and_rewrites_the_episodes_it_changes() {
    // Given: a flapping signal makes two episodes; the first resolve arrives last
    History history = History.random();
    Event fire = history.add(fired("fp-a"));
    Event resolve = history.add(signalResolved("fp-a"));
    Event refire = history.add(fired("fp-a"));
    projector.project(fire);
    projector.project(refire); // without the resolve, still one open episode with fp-a firing
    assertThat(store.episodes(history.incidentId())).hasSize(1);

    // When
    Outcome outcome = projector.project(resolve);

    // Then
    List<Event> all = List.of(fire, resolve, refire);
    assertThat(outcome).isEqualTo(Outcome.REFOLDED);
    assertThat(store.episodes(history.incidentId())).isEqualTo(Fold.fold(all).episodes());
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
    assertThat(changedEpisodes).containsKeys(history.incidentId() + "/1", history.incidentId() + "/2");
  }

  @Test
  void a_late_event_in_the_latest_episode_reads_that_episode_not_the_history() {
    // Given: a flapping alert of 200 episodes, the last one open, with its ack still in flight
    History history = History.random();
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 199; i++) {
      all.add(history.add(fired("fp-a")));
      all.add(history.add(signalResolved("fp-a")));
    }
    all.add(history.add(fired("fp-a")));
    Event ack = history.add(ack());
    all.add(history.add(escalated(2)));
    all.forEach(projector::project);
    all.add(ack);
    long before = store.entriesRead();

    // When
    Outcome outcome = projector.project(ack);

    // Then: the re-fold read the latest episode's two entries, and the views are the fold's
    assertThat(outcome).isEqualTo(Outcome.REFOLDED);
    assertThat(store.entriesRead() - before).isEqualTo(2);
    assertThat(store.episodes(history.incidentId())).isEqualTo(Fold.fold(all).episodes());
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
    assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());
  }

  @Test
  void opening_an_episode_takes_the_reach_before_it_from_the_events_applied_not_from_the_timeline() {
    // Given: a flapping alert of 50 episodes, applied in order
    History history = History.random();
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(history.add(fired("fp-a")));
      all.add(history.add(signalResolved("fp-a")));
    }
    long before = store.entriesRead();

    // When
    all.forEach(projector::project);

    // Then: no entry was read back, and each checkpoint reaches as far as the events up to its opener
    assertThat(store.entriesRead() - before).isZero();
    for (int number = 1; number <= 50; number++) {
      assertThat(store.checkpoint(history.incidentId(), number).reach())
          .isEqualTo(reachUpTo(all, all.get(2 * (number - 1))));
    }
  }

  @Test
  void after_a_re_fold_the_next_opening_takes_the_reach_of_the_replayed_events_too() {
    // Given: two episodes; a note that sorts in the second was recorded an hour after the rest
    History history = History.random();
    Event fire1 = history.add(fired("fp-a"));
    Event resolve1 = history.add(signalResolved("fp-a"));
    Event fire2 = history.add(fired("fp-a"));
    Event sorted = history.add(note("from the bridge"));
    Event note = sorted.withStored(new Stored(sorted.stored().ingestedAt(),
        sorted.stored().recordedAt().plus(java.time.Duration.ofHours(1)), 0, sorted.stored().offset()));
    Event resolve2 = history.add(signalResolved("fp-a"));
    Event fire3 = history.add(fired("fp-a"));
    List.of(fire1, resolve1, fire2, resolve2).forEach(projector::project);

    // When: the note comes late (a re-fold), then the third episode opens
    assertThat(projector.project(note)).isEqualTo(Outcome.REFOLDED);
    projector.project(fire3);

    // Then: the third checkpoint's reach covers the note's recording
    List<Event> all = List.of(fire1, resolve1, fire2, note, resolve2, fire3);
    assertThat(store.checkpoint(history.incidentId(), 3).reach()).isEqualTo(reachUpTo(all, fire3));
    assertThat(store.checkpoint(history.incidentId(), 3).reach().recorded()).isEqualTo(note.stored().recordedAt());
  }

  /** The latest times of the events that sort no later than {@code last}. */
  private static Checkpoint.Reach reachUpTo(List<Event> events, Event last) {
    Checkpoint.Reach reach = Checkpoint.Reach.NONE;
    for (Event event : events) {
      if (event.orderKey().compareTo(last.orderKey()) <= 0) reach = reach.with(event);
    }
    return reach;
  }

  @Test
  void an_event_whose_state_the_store_cannot_hold_is_refused_with_its_id_and_nothing_is_written() {
    // Given: a store that holds at most two signals per episode
    InMemoryViewStore small = new InMemoryViewStore().limitSignals(2);
    Projector limited = new Projector(small, (incidentId, number, before, after) -> {});
    History history = History.random();
    List<Event> applied = List.of(history.add(fired("fp-1")), history.add(fired("fp-2")));
    applied.forEach(limited::project);
    Event third = history.add(fired("fp-3"));

    // When / Then: refused, naming the event
    assertThatThrownBy(() -> limited.project(third))
        .isInstanceOfSatisfying(Projector.Refused.class, e -> assertThat(e.eventId()).isEqualTo(third.id()));
    assertThat(small.timeline(history.incidentId())).isEqualTo(Fold.timeline(applied));
    assertThat(small.state(history.incidentId())).isEqualTo(Fold.fold(applied).withoutHistory());
    assertThat(small.appliedKey(history.incidentId(), third.id())).isNull();

    // and the stream goes on
    Event resolve = history.add(signalResolved("fp-1"));
    assertThat(limited.project(resolve)).isEqualTo(Outcome.APPLIED);
  }

  @Test
  void a_late_event_is_refused_only_when_what_its_re_fold_stores_would_not_fit() {
    // Given: a store that holds at most two firing signals per episode; fp-1 and fp-2 fire, fp-1 resolves
    InMemoryViewStore small = new InMemoryViewStore().limitSignals(2);
    Projector limited = new Projector(small, (incidentId, number, before, after) -> {});
    History history = History.random();
    Event first = history.add(fired("fp-1"));
    Event second = history.add(fired("fp-2"));
    Event late = history.add(fired("fp-3"));
    Event lateToo = history.add(fired("fp-4"));
    Event resolve = history.add(signalResolved("fp-1"));
    List.of(first, second, resolve).forEach(limited::project);

    // When fp-3's firing comes late: three fire at once only before fp-1 resolves, which no stored value holds
    Outcome outcome = limited.project(late);

    // Then it is applied, as the fold has it
    List<Event> all = List.of(first, second, late, resolve);
    assertThat(outcome).isEqualTo(Outcome.REFOLDED);
    assertThat(small.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
    assertThat(small.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());

    // And fp-4's, which would leave three firing in the stored state, is refused with nothing written
    assertThatThrownBy(() -> limited.project(lateToo))
        .isInstanceOfSatisfying(Projector.Refused.class, e -> assertThat(e.eventId()).isEqualTo(lateToo.id()));
    assertThat(small.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
    assertThat(small.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());
    assertThat(small.appliedKey(history.incidentId(), lateToo.id())).isNull();
  }

  @Test
  void an_episode_of_20000_signals_is_stored_as_its_firing_signals_and_items() {
    // Given: a store that takes at most three signals per stored value, and an alert group that stays open
    // while 20,000 alerts fire and resolve in it, some late
    InMemoryViewStore small = new InMemoryViewStore().limitSignals(3);
    Projector limited = new Projector(small, (incidentId, number, before, after) -> {});
    History history = History.random();
    List<Event> events = new ArrayList<>();
    events.add(history.add(fired("fp-anchor")));
    for (int i = 0; i < 20_000; i++) {
      events.add(history.add(fired("fp-" + i)));
      events.add(history.add(signalResolved("fp-" + i)));
    }
    List<Event> delivered = new ArrayList<>(events);
    java.util.Collections.swap(delivered, delivered.size() - 1, delivered.size() - 3);

    // When: nothing is refused
    delivered.forEach(limited::project);

    // Then: the stored value holds the firing signal; the items hold every signal; together, the fold
    assertThat(small.state(history.incidentId()).latest().orElseThrow().signals()).containsOnlyKeys("fp-anchor");
    assertThat(small.items(history.incidentId(), 1, Integer.MAX_VALUE)).hasSize(20_001);
    assertThat(small.wholeState(history.incidentId())).isEqualTo(Fold.fold(events).withoutHistory());
    assertThat(small.episodes(history.incidentId())).isEqualTo(Fold.fold(events).episodes());
  }

  @Test
  void an_episode_of_20000_follow_ups_and_assignees_is_stored_without_them_and_folds_as_the_whole() {
    // Given: a store that takes at most three items per stored episode; a follow-up of the first episode
    // still open when the second opens, which then holds 20,000 follow-ups (all completed) and 20,000
    // assignees (every other one unassigned), with repeats the fold takes no effect from, some late
    InMemoryViewStore small = new InMemoryViewStore().limitItems(3);
    Projector limited = new Projector(small, (incidentId, number, before, after) -> {});
    History history = History.random();
    List<Event> events = new ArrayList<>(List.of(history.add(triggered()), history.add(followup("f-early")),
        history.add(resolved()), history.add(triggered())));
    for (int i = 0; i < 20_000; i++) {
      events.add(history.add(followup("f-" + i)));
      events.add(history.add(assigned("user:" + i)));
      events.add(history.add(followupDone("f-" + i)));
      if (i % 2 == 1) events.add(history.add(unassigned("user:" + i)));
    }
    events.addAll(List.of(
        history.add(followupDone("f-early")), // an earlier episode's follow-up: applied there
        history.add(followupDone("f-early")), // no follow-up f-early on the latest episode
        history.add(followupDone("f-7")), // already completed
        history.add(followup("f-7")), // exists
        history.add(followup("f-new")),
        history.add(assigned("user:2")), // already assigned
        history.add(unassigned("user:3")))); // not assigned
    List<Event> delivered = new ArrayList<>(events);
    java.util.Collections.swap(delivered, delivered.size() - 1, delivered.size() - 4);
    java.util.Collections.swap(delivered, delivered.size() - 2, delivered.size() - 9);

    // When: nothing is refused
    delivered.forEach(limited::project);

    // Then: the stored values hold no follow-up and no assignee; the items hold them all; together, the fold
    Fold.Replay expected = Fold.replay(events);
    UUID id = history.incidentId();
    Episode stored = small.state(id).latest().orElseThrow();
    assertThat(stored.followups()).isEmpty();
    assertThat(stored.assignees()).isEmpty();
    assertThat(small.episode(id, 1).followups()).isEmpty();
    assertThat(expected.state().latest().orElseThrow().assignees()).hasSize(10_000);
    assertThat(expected.state().episode(1).orElseThrow().followups().get("f-early").completed()).isTrue();
    assertThat(small.timeline(id)).isEqualTo(expected.timeline());
    assertThat(small.wholeState(id)).isEqualTo(expected.state().withoutHistory());
    assertThat(small.episodes(id)).isEqualTo(expected.state().episodes());
  }

  @Test
  void a_copy_of_an_applied_id_under_a_later_order_key_is_a_duplicate() {
    // Given: one event id stored twice with different coordinates; the copy that sorts first stands
    History history = History.random();
    Event trigger = history.add(triggered());
    Event copy = new Event(trigger.id(), trigger.source(), trigger.incidentId(), trigger.occurredAt(), trigger.actor(),
        trigger.principal(), trigger.data(), new Stored(history.now().plusSeconds(60), history.now().plusSeconds(61), 1, 9));
    projector.project(trigger);

    // When
    Outcome outcome = projector.project(copy);

    // Then
    assertThat(outcome).isEqualTo(Outcome.DUPLICATE);
    assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(List.of(trigger, copy)).withoutHistory());
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(List.of(trigger, copy)));
  }

  @Test
  void a_copy_of_an_applied_id_that_sorts_first_replaces_it_as_the_fold_does() {
    // Given
    History history = History.random();
    Event trigger = history.add(triggered());
    Event acknowledge = history.add(ack());
    Event earlier = new Event(acknowledge.id(), acknowledge.source(), acknowledge.incidentId(), acknowledge.occurredAt(),
        acknowledge.actor(), acknowledge.principal(), acknowledge.data(),
        new Stored(trigger.stored().ingestedAt().plusMillis(1), acknowledge.stored().recordedAt(), 0, 99));
    projector.project(trigger);
    projector.project(acknowledge);

    // When
    Outcome outcome = projector.project(earlier);

    // Then
    List<Event> all = List.of(trigger, acknowledge, earlier);
    assertThat(outcome).isEqualTo(Outcome.REFOLDED);
    assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
  }

  @Test
  void completing_a_follow_up_of_an_earlier_episode_rewrites_that_episode() {
    // Given: the follow-up of episode 1 is completed while episode 2 is open
    History history = History.random();
    List<Event> events = List.of(
        history.add(triggered()), history.add(resolved()), history.add(followup("F-1")), history.add(fired("fp-a")));
    events.forEach(projector::project);
    changedEpisodes.clear();
    Event done = history.add(followupDone("F-1"));

    // When
    Outcome outcome = projector.project(done);

    // Then
    List<Event> all = new java.util.ArrayList<>(events);
    all.add(done);
    assertThat(outcome).isEqualTo(Outcome.APPLIED);
    assertThat(store.episodes(history.incidentId())).isEqualTo(Fold.fold(all).episodes());
    assertThat(store.episodes(history.incidentId()).getFirst().followups().get("F-1").completed()).isTrue();
    assertThat(changedEpisodes).containsOnlyKeys(history.incidentId() + "/1");
  }

  /** A flapping alert of {@code episodes} episodes in order; the acknowledgements of {@code held} are held back. */
  private static List<Event> flapping(History history, int episodes, List<Integer> held, Map<Integer, Event> late) {
    List<Event> inOrder = new ArrayList<>();
    for (int i = 1; i <= episodes; i++) {
      inOrder.add(history.add(fired("fp-a")));
      Event acknowledge = history.add(ack());
      if (held.contains(i)) late.put(i, acknowledge);
      else inOrder.add(acknowledge);
      inOrder.add(history.add(signalResolved("fp-a")));
    }
    return inOrder;
  }

  @Test
  void a_late_event_in_an_earlier_episode_replays_until_the_stored_fold_is_met_again() {
    // Given: 1,000 episodes of a flapping alert, the acknowledgements of episodes 500, 7 and 1,000 in flight
    History history = History.random();
    Map<Integer, Event> late = new HashMap<>();
    List<Event> all = new ArrayList<>(flapping(history, 1_000, List.of(500, 7, 1_000), late));
    all.forEach(projector::project);
    long entries = store.entriesRead();
    long checkpoints = store.checkpointsRead();

    // When: the acknowledgement of episode 500 arrives
    assertThat(projector.project(late.get(500))).isEqualTo(Outcome.REFOLDED);
    all.add(late.get(500));

    // Then: the re-fold read episodes 500 and 501 (the stored fold stands again at episode 502's opener,
    // not 1,500 entries later), found its checkpoint by a binary search (not 500 reads down from the
    // latest), and the views are the fold's, counters included
    assertThat(store.entriesRead() - entries).isLessThanOrEqualTo(7);
    assertThat(store.checkpointsRead() - checkpoints).isLessThanOrEqualTo(16);
    assertThat(store.episodes(history.incidentId())).isEqualTo(Fold.fold(all).episodes());
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
    assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());

    // and later ones still count right, from checkpoints written before the first: one in an earlier
    // episode, and one in the latest, whose re-fold runs to the end
    for (int episode : List.of(7, 1_000)) {
      assertThat(projector.project(late.get(episode))).isEqualTo(Outcome.REFOLDED);
      all.add(late.get(episode));
      assertThat(store.episodes(history.incidentId())).isEqualTo(Fold.fold(all).episodes());
      assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
      assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());
    }
  }

  @Test
  void a_re_fold_does_not_stop_while_a_replayed_episode_has_a_follow_up_a_later_event_completes() {
    // Given: episode 1 gets a follow-up, episode 3 completes it; episode 1's acknowledgement is late
    History history = History.random();
    List<Event> all = new ArrayList<>();
    all.add(history.add(fired("fp-a")));
    Event acknowledge = history.add(ack());
    all.add(history.add(followup("F-1")));
    all.add(history.add(signalResolved("fp-a")));
    for (int i = 0; i < 2; i++) {
      all.add(history.add(fired("fp-a")));
      all.add(history.add(signalResolved("fp-a")));
    }
    all.add(history.add(followupDone("F-1")));
    all.forEach(projector::project);

    // When
    projector.project(acknowledge);
    all.add(acknowledge);

    // Then: episode 1 holds the acknowledgement and the completion
    assertThat(store.episodes(history.incidentId())).isEqualTo(Fold.fold(all).episodes());
    assertThat(store.episodes(history.incidentId()).getFirst().followups().get("F-1").completed()).isTrue();
    assertThat(store.timeline(history.incidentId())).isEqualTo(Fold.timeline(all));
    assertThat(store.wholeState(history.incidentId())).isEqualTo(Fold.fold(all).withoutHistory());
  }
}
