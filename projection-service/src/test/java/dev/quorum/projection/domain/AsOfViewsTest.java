package dev.quorum.projection.domain;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import dev.quorum.projection.testing.InMemoryViewStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AsOfViewsTest {
  private static final int EPISODES = 1_000;
  private static final int PER_EPISODE = 5;

  private final InMemoryViewStore store = new InMemoryViewStore();
  private final Projector projector = new Projector(store, new Projector.Changes() {
    @Override
    public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {}
  });
  private final AsOfViews asOf = new AsOfViews(store, Duration.ofSeconds(1));

  /** A flapping alert: each episode fires, takes a note and an acknowledgement, and resolves. */
  private static List<Event> flapping(History history) {
    List<Event> events = new ArrayList<>();
    for (int i = 1; i <= EPISODES; i++) {
      events.add(history.add(fired("fp-a")));
      events.add(history.add(note("looking")));
      events.add(history.add(ack()));
      events.add(history.add(note("still looking")));
      events.add(history.add(signalResolved("fp-a")));
    }
    return events;
  }

  @Test
  void an_as_of_answer_in_episode_900_of_1000_reads_that_episode_not_the_history() {
    // Given: 1,000 episodes of five events, all applied
    History history = History.random();
    List<Event> all = flapping(history);
    all.forEach(projector::project);
    // the instant the acknowledgement of episode 900 was recorded
    Instant instant = all.get(899 * PER_EPISODE + 2).stored().recordedAt();
    IncidentState expected = Fold.foldAsOf(all, instant, Axis.RECORDED);
    long entries = store.entriesRead();

    // When
    Optional<IncidentState> state = asOf.state(history.incidentId(), instant, Axis.RECORDED);
    Optional<Episode> episode = asOf.episode(history.incidentId(), 900, instant, Axis.RECORDED);

    // Then: the fold's answers, each from reading episode 900's entries up to the instant (and the next,
    // which ends the replay), not the 4,500 entries before them
    assertThat(state).contains(expected.withoutHistory());
    assertThat(episode).isEqualTo(expected.episode(900));
    assertThat(store.entriesRead() - entries).isLessThanOrEqualTo(2 * (PER_EPISODE + 1));

    // and a timeline page of episode 900 reads that episode's entries too
    entries = store.entriesRead();
    Optional<TimelinePage> page = asOf.timeline(history.incidentId(), instant, Axis.RECORDED, null, 900, 50);
    assertThat(page).contains(TimelinePage.of(Fold.timeline(Fold.upTo(all, instant, Axis.RECORDED)).iterator(), null, 900, 50));
    assertThat(page.get().entries()).hasSize(3);
    assertThat(store.entriesRead() - entries).isLessThanOrEqualTo(2 * (PER_EPISODE + 1));
  }

  @Test
  void an_earlier_episode_is_answered_from_its_own_checkpoint() {
    // Given
    History history = History.random();
    List<Event> all = flapping(history);
    all.forEach(projector::project);
    Instant instant = all.get(899 * PER_EPISODE + 2).stored().recordedAt();
    long entries = store.entriesRead();

    // When: episode 10 as of that instant
    Optional<Episode> episode = asOf.episode(history.incidentId(), 10, instant, Axis.RECORDED);

    // Then: the fold's, from episode 10's checkpoint on (up to the instant: what a later follow-up
    // completion could change)
    assertThat(episode).isEqualTo(Fold.foldAsOf(all, instant, Axis.RECORDED).episode(10));
    assertThat(store.entriesRead() - entries).isLessThanOrEqualTo(891L * PER_EPISODE);
  }

  @Test
  void a_late_event_makes_later_checkpoints_wait_for_its_record_time() {
    // Given: the acknowledgement of episode 500 is recorded (and applied) last, a day after the others
    History history = History.random();
    List<Event> inOrder = flapping(history);
    Event late = inOrder.remove(499 * PER_EPISODE + 2);
    inOrder.forEach(projector::project);
    Event recordedLate = late.withStored(new dev.quorum.event.Stored(late.stored().ingestedAt(),
        history.now().plus(Duration.ofDays(1)), late.stored().partition(), late.stored().offset()));
    assertThat(projector.project(recordedLate)).isEqualTo(Projector.Outcome.REFOLDED);
    List<Event> all = new ArrayList<>(inOrder);
    all.add(recordedLate);
    Instant beforeIt = history.now();
    Instant afterIt = recordedLate.stored().recordedAt();

    // When / Then: before its record time, episode 900 cannot start from its own checkpoint (the late event
    // sorts before it and was not known then): it starts from episode 500's, the latest before the late event
    long entries = store.entriesRead();
    assertThat(asOf.episode(history.incidentId(), 900, beforeIt, Axis.RECORDED))
        .isEqualTo(Fold.foldAsOf(all, beforeIt, Axis.RECORDED).episode(900));
    assertThat(store.entriesRead() - entries).isGreaterThan(400L * PER_EPISODE);
    // the whole state too: its counters come from a checkpoint no late event sorts before
    assertThat(asOf.state(history.incidentId(), beforeIt, Axis.RECORDED))
        .contains(Fold.foldAsOf(all, beforeIt, Axis.RECORDED).withoutHistory());
    // but once the late event is known, the checkpoints after it count it stale: rather than replay from
    // episode 500, they decline and the log answers
    assertThat(asOf.state(history.incidentId(), afterIt, Axis.RECORDED)).isEmpty();
    // once the late event is known, episode 900 starts from its own checkpoint again
    entries = store.entriesRead();
    assertThat(asOf.episode(history.incidentId(), 900, afterIt, Axis.RECORDED))
        .isEqualTo(Fold.foldAsOf(all, afterIt, Axis.RECORDED).episode(900));
    assertThat(store.entriesRead() - entries).isLessThanOrEqualTo(101L * PER_EPISODE);
  }

  @Test
  void an_incident_whose_event_the_views_refused_is_left_to_the_log() {
    // Given: a store that holds at most two signals per episode refuses the third
    InMemoryViewStore small = new InMemoryViewStore().limitSignals(2);
    Projector limited = new Projector(small, (incidentId, number, before, after) -> {});
    AsOfViews fromSmall = new AsOfViews(small, Duration.ZERO);
    History history = History.random();
    List<Event> applied = List.of(history.add(fired("fp-1")), history.add(fired("fp-2")));
    applied.forEach(limited::project);
    Instant instant = history.now().plus(Duration.ofDays(1));
    assertThat(fromSmall.episode(history.incidentId(), 1, instant, Axis.RECORDED)).isPresent();

    // When
    Event third = history.add(fired("fp-3"));
    try {
      limited.project(third);
    } catch (Projector.Refused expected) {
      // the views lack it; the log has it
    }

    // Then: no answer from the views, whose episode lacks the third signal
    assertThat(fromSmall.episode(history.incidentId(), 1, instant, Axis.RECORDED)).isEmpty();
    assertThat(fromSmall.state(history.incidentId(), instant, Axis.RECORDED)).isEmpty();
  }

  @Test
  void a_replay_that_would_decide_on_the_checkpoints_stored_episode_declines() {
    // Given: episode 1 creates and completes follow-up F-1 and resolves; episode 2's opener is recorded a
    // day late, and F-1 is created again after it
    History history = History.random();
    List<Event> all = new ArrayList<>();
    all.add(history.add(fired("fp-a")));
    all.add(history.add(dev.quorum.event.testing.Catalogue.followup("F-1")));
    all.add(history.add(dev.quorum.event.testing.Catalogue.followupDone("F-1")));
    all.add(history.add(signalResolved("fp-a")));
    Event opener = history.add(fired("fp-a"));
    Event openerRecordedLate = opener.withStored(new dev.quorum.event.Stored(opener.stored().ingestedAt(),
        opener.stored().recordedAt().plus(Duration.ofDays(1)), opener.stored().partition(), opener.stored().offset()));
    all.add(openerRecordedLate);
    Event done = history.add(dev.quorum.event.testing.Catalogue.followup("F-1"));
    all.add(done);
    all.forEach(projector::project);
    Instant instant = done.stored().recordedAt();
    List<Event> known = Fold.upTo(all, instant, Axis.RECORDED);

    // When: as of the second creation, the opener unknown: it lands on episode 1 (where F-1 exists: no
    // effect), whose stored value at episode 2's checkpoint lacks its follow-ups (items of their own)
    Optional<TimelinePage> page = asOf.timeline(history.incidentId(), instant, Axis.RECORDED, null, null, 50);

    // Then: the views answer only as the fold does, or leave it to the log
    page.ifPresent(p -> assertThat(p).isEqualTo(TimelinePage.of(Fold.timeline(known).iterator(), null, null, 50)));
    assertThat(asOf.episode(history.incidentId(), 1, instant, Axis.RECORDED)).isEqualTo(Fold.fold(known).episode(1));
    assertThat(asOf.state(history.incidentId(), instant, Axis.RECORDED)).contains(Fold.fold(known).withoutHistory());
  }
}
