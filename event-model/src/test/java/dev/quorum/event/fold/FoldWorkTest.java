package dev.quorum.event.fold;

import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.followup;
import static dev.quorum.event.testing.Catalogue.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Role;
import dev.quorum.event.testing.History;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What an apply costs, counted in writes to the episode's structures ({@link CopyCount}), not in time:
 * it grows with the logarithm of what the episode holds, never with all of it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FoldWorkTest {
  private static final int SIGNALS = 20_000;

  @Test
  void one_more_event_on_an_episode_of_20000_signals_writes_a_path_not_the_episode() {
    // Given: one episode holding 20,000 firing signals, as applied one by one
    History history = History.random();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < SIGNALS; i++) events.add(history.add(fired(String.format("fp-%05d", i))));
    long before = CopyCount.total();
    IncidentState state = Fold.fold(events).withoutHistory();
    long replay = CopyCount.total() - before;

    // When: each kind of event that grows an episode is applied once more
    List<EventData> more = List.of(fired("fp-new"), new EventData.AlertResolved("fp-00042"), assigned("user:carol"),
        role(Role.COMMANDER, "user:carol"), followup("f-1"));
    long most = 0;
    for (EventData data : more) {
      long start = CopyCount.total();
      Episode previous = state.latest().orElseThrow();
      Step step = Fold.apply(state, history.add(data));
      most = Math.max(most, CopyCount.total() - start);
      // the version before is untouched: the fold stays pure
      assertThat(previous.signals()).hasSize(step.before() == null ? SIGNALS : previous.signals().size());
      assertThat(step.after()).isNotSameAs(previous);
      state = step.state();
    }

    // Then: each costs a path of the tree (its depth is under 1.45 log2 n, about 21 here), and the
    // replay of the 20,000 firings n such paths: a copy of the map per event would be 200 million writes
    assertThat(most).isLessThanOrEqualTo(100);
    assertThat(replay).isLessThanOrEqualTo(SIGNALS * 100L);
    Episode episode = state.latest().orElseThrow();
    assertThat(episode.signals()).hasSize(SIGNALS + 1);
    assertThat(episode.firingSignals()).isEqualTo(SIGNALS);
    assertThat(episode.assignees()).containsExactly("user:carol");
  }

  @Test
  void applying_to_an_older_version_again_leaves_the_newer_one_as_it_was() {
    // Given
    History history = History.random();
    IncidentState start = Fold.fold(List.of(history.add(fired("a")), history.add(role(Role.SCRIBE, "user:bob"))));
    Event left = history.add(role(Role.COMMANDER, "user:carol"));
    Event right = history.add(fired("b"));

    // When: two different events applied to the same state (a re-fold replays from a checkpoint so)
    Episode one = Fold.apply(start, left).after();
    Episode two = Fold.apply(start, right).after();
    Episode three = Fold.apply(start, history.add(role(Role.COMMS, "user:dan"))).after();

    // Then
    assertThat(one.roleHistory()).extracting(RoleChange -> RoleChange.role()).containsExactly(Role.SCRIBE, Role.COMMANDER);
    assertThat(two.roleHistory()).extracting(RoleChange -> RoleChange.role()).containsExactly(Role.SCRIBE);
    assertThat(three.roleHistory()).extracting(RoleChange -> RoleChange.role()).containsExactly(Role.SCRIBE, Role.COMMS);
    assertThat(one.signals()).containsOnlyKeys("a");
    assertThat(two.signals()).containsOnlyKeys("a", "b");
    assertThat(start.latest().orElseThrow().signals()).containsOnlyKeys("a");
  }
}
