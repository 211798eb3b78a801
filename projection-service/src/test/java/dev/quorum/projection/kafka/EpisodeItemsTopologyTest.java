package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.followup;
import static dev.quorum.event.testing.Catalogue.followupDone;
import static dev.quorum.event.testing.Catalogue.role;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static dev.quorum.event.testing.Catalogue.unassigned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.Role;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.Views.IncidentView;
import dev.quorum.projection.testing.ProjectionDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import dev.quorum.projection.testing.SkipListStores;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADR 8 on the real topology: what grows inside one episode is paged out of its stored values. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EpisodeItemsTopologyTest {
  private static final int SIGNALS = 2_000;
  private static final int PEOPLE = 1_000;
  /** Far less than 2,000 signals take in one value (about 44 KB); plenty for one episode's firing signals and roles. */
  private static final int VALUE_LIMIT = 16 * 1024;

  @TempDir Path stateDir;

  @Test
  void an_episode_of_2000_signals_and_100_role_changes_keeps_every_stored_value_small() {
    // Given: one alert group that stays open (fp-anchor fires throughout) while 2,000 alerts fire and
    // resolve in it, and the commander changes 100 times
    History history = History.random();
    List<Event> events = new ArrayList<>();
    events.add(history.add(fired("fp-anchor")));
    for (int i = 0; i < SIGNALS; i++) {
      String fingerprint = String.format("fp-%05d", i);
      events.add(history.add(fired(fingerprint)));
      events.add(history.add(signalResolved(fingerprint)));
      if (i % 20 == 0) events.add(history.add(role(Role.COMMANDER, "user:r" + i)));
    }
    // a few arrive late, so that re-folds run over the episode too
    List<Event> delivered = withLateOnes(events, 12);

    try (ProjectionDriver driver = new ProjectionDriver(stateDir, SkipListStores::supplier, VALUE_LIMIT)) {
      // When
      driver.publishAll(delivered);

      // Then: nothing refused; the views are the fold's, items put back
      assertThat(driver.counter("refused")).isZero();
      Fold.Replay expected = Fold.replay(events);
      Episode episode = expected.state().latest().orElseThrow();
      assertThat(episode.signals()).hasSize(SIGNALS + 1);
      assertThat(episode.roleHistory()).hasSize(SIGNALS / 20);
      assertThat(driver.episodes(history.incidentId())).containsExactly(episode);
      assertThat(driver.state(history.incidentId())).isEqualTo(expected.state().withoutHistory());
      // the stored state holds the firing signal only and no role history
      Episode stored = driver.storedState(history.incidentId()).latest().orElseThrow();
      assertThat(stored.signals()).containsOnlyKeys("fp-anchor");
      assertThat(stored.roleHistory()).isEmpty();
      assertThat(ViewSerdes.state().serializer().serialize(null, driver.storedState(history.incidentId())).length)
          .isLessThan(4096);
      // the published view is the stored episode: its firing signal, counted
      IncidentView published = driver.incidentsTopic().get(history.incidentId() + "/1");
      assertThat(published.signals()).containsOnlyKeys("fp-anchor");
      assertThat(published.firingSignals()).isEqualTo(1);
      assertThat(driver.counter("refolded")).isPositive();
    }
  }

  @Test
  void an_episode_of_1000_follow_ups_and_assignees_keeps_every_stored_value_small() {
    // Given: one incident that stays open while 1,000 follow-ups are created and completed and 1,000
    // responders assigned (every other one unassigned again), with repeats the fold takes no effect from
    History history = History.random();
    List<Event> events = new ArrayList<>();
    events.add(history.add(triggered()));
    for (int i = 0; i < PEOPLE; i++) {
      events.add(history.add(followup(String.format("f-%05d", i))));
      events.add(history.add(assigned(String.format("user:%05d", i))));
      events.add(history.add(followupDone(String.format("f-%05d", i))));
      if (i % 2 == 1) events.add(history.add(unassigned(String.format("user:%05d", i))));
      if (i % 100 == 0) events.add(history.add(followupDone(String.format("f-%05d", i)))); // already completed
    }
    events.add(history.add(followup("f-open")));
    List<Event> delivered = withLateOnes(events, 7);

    try (ProjectionDriver driver = new ProjectionDriver(stateDir, SkipListStores::supplier, VALUE_LIMIT)) {
      // When
      driver.publishAll(delivered);

      // Then: nothing refused; the views and the timeline are the fold's, items put back
      assertThat(driver.counter("refused")).isZero();
      Fold.Replay expected = Fold.replay(events);
      Episode episode = expected.state().latest().orElseThrow();
      assertThat(episode.followups()).hasSize(PEOPLE + 1);
      assertThat(episode.assignees()).hasSize(PEOPLE / 2);
      assertThat(driver.timeline(history.incidentId())).isEqualTo(expected.timeline());
      assertThat(driver.episodes(history.incidentId())).containsExactly(episode);
      assertThat(driver.state(history.incidentId())).isEqualTo(expected.state().withoutHistory());
      // the stored state holds neither; it indexes the one open follow-up
      Episode stored = driver.storedState(history.incidentId()).latest().orElseThrow();
      assertThat(stored.followups()).isEmpty();
      assertThat(stored.assignees()).isEmpty();
      assertThat(driver.storedState(history.incidentId()).openFollowups()).containsOnlyKeys("f-open");
      assertThat(ViewSerdes.state().serializer().serialize(null, driver.storedState(history.incidentId())).length)
          .isLessThan(4096);
      // more than a published record's worth of assignees: the episode goes out as stored
      IncidentView published = driver.incidentsTopic().get(history.incidentId() + "/1");
      assertThat(published.assignees()).isEmpty();
      assertThat(driver.counter("refolded")).isPositive();
    }
  }

  @Test
  void an_episode_of_many_signals_is_published_with_its_few_assignees_and_follow_ups() {
    // Given: 150 alerts fire and resolve in an open group that has two assignees and two follow-ups
    History history = History.random();
    List<Event> events = new ArrayList<>(List.of(history.add(fired("fp-anchor")), history.add(assigned("user:a")),
        history.add(assigned("user:b")), history.add(followup("f-1")), history.add(followup("f-2")),
        history.add(followupDone("f-1"))));
    for (int i = 0; i < 150; i++) {
      events.add(history.add(fired("fp-" + i)));
      events.add(history.add(signalResolved("fp-" + i)));
    }

    try (ProjectionDriver driver = new ProjectionDriver(stateDir, SkipListStores::supplier, VALUE_LIMIT)) {
      // When
      driver.publishAll(events);

      // Then: the record carries the firing signal, the assignees and the follow-ups, not the resolved signals
      Episode episode = Fold.fold(events).latest().orElseThrow();
      IncidentView published = driver.incidentsTopic().get(history.incidentId() + "/1");
      assertThat(published.signals()).containsOnlyKeys("fp-anchor");
      assertThat(published.assignees()).containsExactly("user:a", "user:b");
      assertThat(published.followups()).containsExactlyElementsOf(new java.util.TreeMap<>(episode.followups()).values());
      assertThat(published.followups()).hasSize(2);
    }
  }

  /** The events in order but for five near the end, each swapped with one up to 40 places later (seeded). */
  private static List<Event> withLateOnes(List<Event> events, long seed) {
    List<Event> delivered = new ArrayList<>(events);
    Random random = new Random(seed);
    for (int i = 0; i < 5; i++) Collections.swap(delivered, delivered.size() - 1 - random.nextInt(40), delivered.size() - 41 - i);
    return delivered;
  }
}
