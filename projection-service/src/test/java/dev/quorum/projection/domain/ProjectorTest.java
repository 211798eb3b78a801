package dev.quorum.projection.domain;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.Projector.Outcome;
import dev.quorum.projection.testing.InMemoryViewStore;
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

    @Override
    public void stateChanged(IncidentState state) {}
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
    assertThat(store.state(history.incidentId())).isEqualTo(Fold.fold(events).withoutHistory());
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
}
