package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.mergedInto;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.Ids;
import dev.quorum.event.Stored;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.Views.IncidentView;
import dev.quorum.projection.testing.ProjectionDriver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADR 7 on the real topology: a merged stream's signals on its target, and the target's end ending them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MergedSignalsTopologyTest {
  private final UUID source = UUID.randomUUID();
  private final UUID target = UUID.randomUUID();
  private Instant clock = History.START;
  private long offset;

  @TempDir Path stateDir;
  private ProjectionDriver driver;

  @BeforeEach
  void start() {
    driver = new ProjectionDriver(stateDir);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void signals_of_a_merged_stream_show_on_the_target_in_its_firing_signals_and_timeline() {
    // Given: the target is open; the source's alert fires and the source is merged into the target
    driver.publish(stored(target, triggered()));
    driver.publish(stored(source, fired("fp-1")));
    Event merge = driver.publishing(stored(source, mergedInto(target)));

    // When: the source's alert fires again, a second alert fires, and the first one resolves at the source
    Event repeat = driver.publishing(stored(source, fired("fp-1")));
    Event second = driver.publishing(stored(source, fired("fp-2")));

    // Then: the target shows both firing, and the merge and firings in its timeline, in order
    IncidentView onTarget = driver.incidentsTopic().get(target + "/1");
    assertThat(onTarget.signals()).containsEntry("fp-1", "firing").containsEntry("fp-2", "firing");
    assertThat(onTarget.firingSignals()).isEqualTo(2);
    assertThat(driver.timeline(target)).extracting(e -> e.event().id())
        .containsSubsequence(merge.id(), repeat.id(), second.id());
    assertThat(driver.timeline(target)).filteredOn(e -> e.event().incidentId().equals(source))
        .allSatisfy(e -> assertThat(e.episode()).isEqualTo(1));

    // When: the source resolves fp-1
    Event end = driver.publishing(stored(source, signalResolved("fp-1")));

    // Then
    onTarget = driver.incidentsTopic().get(target + "/1");
    assertThat(onTarget.signals()).containsEntry("fp-1", "resolved").containsEntry("fp-2", "firing");
    assertThat(onTarget.firingSignals()).isEqualTo(1);
    assertThat(driver.timeline(target)).extracting(e -> e.event().id()).contains(end.id());
    // and the target's own fold is its own: its stored episode holds none of the source's signals
    assertThat(driver.episodes(target).getFirst().signals()).isEmpty();
    assertThat(driver.derived()).isEmpty();
  }

  @Test
  void a_target_that_ends_ends_the_alerts_merged_into_it_and_the_sources_next_firing_opens_a_new_episode() {
    // Given: the source's alert was merged into the target, which a responder then resolves
    driver.publish(stored(target, triggered()));
    driver.publish(stored(source, fired("fp-1")));
    driver.publish(stored(source, mergedInto(target)));
    driver.publish(stored(target, resolved()));

    // Then: the projection asks to store the end of the moved alert on the source, once
    List<Event> derived = driver.derived();
    assertThat(derived).singleElement().satisfies(e -> {
      assertThat(e.incidentId()).isEqualTo(source);
      assertThat(e.data()).isEqualTo(new AlertResolved("fp-1"));
    });

    // When: the writer stores it, and next week the alert fires again
    driver.publish(store(derived.getFirst()));
    Event nextWeek = driver.publishing(stored(source, fired("fp-1")));

    // Then: a new episode of the source, open, triggered by that firing
    IncidentView episode2 = driver.incidentsTopic().get(source + "/2");
    assertThat(episode2.status()).isEqualTo("triggered");
    assertThat(episode2.triggeredAt()).isEqualTo(nextWeek.stored().ingestedAt());
    assertThat(driver.incidentsTopic().get(target + "/1").signals()).containsEntry("fp-1", "resolved");
    assertThat(driver.derived()).isEmpty();
  }

  @Test
  void a_firing_that_reaches_an_ended_target_before_the_end_of_its_alert_is_stored_comes_again_as_a_new_episode() {
    // Given: the target ended; the derived end of the moved alert is not stored yet
    driver.publish(stored(target, triggered()));
    driver.publish(stored(source, fired("fp-1")));
    driver.publish(stored(source, mergedInto(target)));
    driver.publish(stored(target, resolved()));
    List<Event> end = driver.derived();

    // When: the alert fires again at the source (no effect there: its alert is on the target)
    Event firing = driver.publishing(stored(source, fired("fp-1")));

    // Then: the end again (the same id: a repeat) and the firing again, after it
    List<Event> derived = driver.derived();
    assertThat(derived).extracting(Event::id).containsExactly(end.getFirst().id(),
        Ids.derived("merge-refire", firing.id().toString()));
    assertThat(derived.getLast().data()).isEqualTo(firing.data());

    // When: the writer stores them in that order (the repeat once)
    driver.publish(store(derived.get(0)));
    driver.publish(store(derived.get(1)));

    // Then: the firing opened episode 2 of the source; nothing more is asked
    assertThat(driver.incidentsTopic().get(source + "/2").status()).isEqualTo("triggered");
    assertThat(driver.episodes(source)).extracting(e -> e.status().name()).containsExactly("MERGED", "TRIGGERED");
    assertThat(driver.derived()).isEmpty();
  }

  @Test
  void forwarded_signals_do_not_change_the_targets_fold_when_the_target_refolds() {
    // Given: signals forwarded onto the target's timeline
    List<Event> targetEvents = new ArrayList<>();
    targetEvents.add(driver.publishing(stored(target, triggered())));
    driver.publish(stored(source, fired("fp-1")));
    driver.publish(stored(source, mergedInto(target)));
    driver.publish(stored(source, fired("fp-1")));
    Event late = stored(target, resolved());
    targetEvents.add(driver.publishing(stored(target, new EventData.NoteAdded("after"))));

    // When: a late event of the target re-folds it over a timeline that holds the forwarded entries
    driver.publish(late);
    targetEvents.add(late);

    // Then: the target's own views are those of its own events; the forwarded entries stay
    Fold.Replay expected = Fold.replay(targetEvents);
    assertThat(driver.state(target)).isEqualTo(expected.state().withoutHistory());
    assertThat(driver.episodes(target)).isEqualTo(expected.state().episodes());
    List<TimelineEntry> own = driver.timeline(target).stream().filter(e -> e.event().incidentId().equals(target)).toList();
    assertThat(own).isEqualTo(expected.timeline());
    assertThat(driver.timeline(target)).hasSize(expected.timeline().size() + 2);
    assertThat(driver.counter("refolded")).isEqualTo(1);
  }

  @Test
  void a_late_event_that_undoes_the_merge_withdraws_the_signals_from_the_target() {
    // Given: the source merged while fp-1 fired, shown on the target
    driver.publish(stored(target, triggered()));
    Event firing = stored(source, fired("fp-1"));
    Event resolveFirst = stored(source, resolved());
    Event merge = stored(source, mergedInto(target));
    driver.publish(firing);
    driver.publish(merge);
    assertThat(driver.incidentsTopic().get(target + "/1").signals()).containsKey("fp-1");

    // When: a resolve that sorts before the merge arrives late: the merge had no effect
    driver.publish(resolveFirst);

    // Then
    assertThat(driver.episodes(source)).extracting(e -> e.status().name()).containsExactly("RESOLVED");
    assertThat(driver.incidentsTopic().get(target + "/1").signals()).isEmpty();
  }

  @Test
  void a_target_merged_elsewhere_passes_the_signals_merged_into_it_on_and_the_last_target_ends_them() {
    // Given: the source's alert shows on the target, which is then merged into a third incident
    UUID third = UUID.randomUUID();
    driver.publish(stored(third, triggered()));
    driver.publish(stored(target, triggered()));
    driver.publish(stored(source, fired("fp-1")));
    driver.publish(stored(source, mergedInto(target)));
    driver.publish(stored(target, mergedInto(third)));
    driver.publishViews();

    // Then: the third shows the source's alert as well as the target's
    assertThat(driver.incidentsTopic().get(third + "/1").signals()).containsEntry("fp-1", "firing");

    // When: a new alert of the source fires
    Event second = driver.publishing(stored(source, fired("fp-2")));
    driver.publishViews();

    // Then: it shows on the target and on the third, in both timelines
    assertThat(driver.incidentsTopic().get(third + "/1").signals()).containsEntry("fp-2", "firing");
    assertThat(driver.incidentsTopic().get(target + "/1").signals()).containsEntry("fp-2", "firing");
    assertThat(driver.timeline(third)).extracting(e -> e.event().id()).contains(second.id());
    assertThat(driver.derived()).isEmpty();

    // When: a responder resolves the third
    driver.publish(stored(third, resolved()));
    driver.publishViews();

    // Then: the projection asks to end the source's alerts on the source
    List<Event> derived = driver.derived();
    assertThat(derived).filteredOn(e -> e.incidentId().equals(source)).extracting(Event::data)
        .containsExactlyInAnyOrder(new AlertResolved("fp-1"), new AlertResolved("fp-2"));

    // When: the writer stores them, and the source's alert fires again next week
    derived.forEach(e -> driver.publish(store(e)));
    driver.publishViews();
    driver.derived();
    Event nextWeek = driver.publishing(stored(source, fired("fp-1")));

    // Then: a new episode of the source, as after a merge into an incident that ended
    IncidentView episode2 = driver.incidentsTopic().get(source + "/2");
    assertThat(episode2.status()).isEqualTo("triggered");
    assertThat(episode2.triggeredAt()).isEqualTo(nextWeek.stored().ingestedAt());
    assertThat(driver.incidentsTopic().get(third + "/1").signals()).containsEntry("fp-1", "resolved");
  }

  @Test
  void a_cycle_of_merges_passes_signals_on_a_bounded_number_of_times() {
    // Given: the target is merged into a third incident, which is merged back into the target
    UUID third = UUID.randomUUID();
    driver.publish(stored(third, triggered()));
    driver.publish(stored(target, triggered()));
    driver.publish(stored(target, mergedInto(third)));
    driver.publish(stored(third, mergedInto(target)));

    // When: the source is merged into the target while its alert fires
    driver.publish(stored(source, fired("fp-1")));
    driver.publish(stored(source, mergedInto(target)));

    // Then: the passing on stops: after a few publications nothing more is relayed
    for (int i = 0; i < 2 * 8 + 2; i++) driver.publishViews();
    assertThat(driver.relaysQueued()).isZero();
    assertThat(driver.incidentsTopic().get(third + "/1").signals()).containsEntry("fp-1", "firing");
  }

  private Event stored(UUID incident, EventData data) {
    clock = clock.plusSeconds(60);
    return new Event(Ids.newEventId(), "test/merge", incident, clock.minusSeconds(2), "user:alice", null, data,
        new Stored(clock, clock.plusMillis(250), 0, offset++));
  }

  /** A derived event as the writer stores it, after everything so far. */
  private Event store(Event derived) {
    clock = clock.plusSeconds(60);
    return derived.withStored(new Stored(clock, clock.plusMillis(250), 0, offset++));
  }

}
