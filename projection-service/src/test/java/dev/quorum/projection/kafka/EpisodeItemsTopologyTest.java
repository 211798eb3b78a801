package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.role;
import static dev.quorum.event.testing.Catalogue.signalResolved;
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
    List<Event> delivered = new ArrayList<>(events);
    Random random = new Random(12);
    for (int i = 0; i < 5; i++) Collections.swap(delivered, delivered.size() - 1 - random.nextInt(40), delivered.size() - 41 - i);

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
}
