package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.projection.testing.Deliveries;
import dev.quorum.projection.testing.Deliveries.Delivery;
import dev.quorum.projection.testing.InMemoryViewStore;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ProjectorPropertiesTest {
  private static final Projector.Changes IGNORE = new Projector.Changes() {
    @Override
    public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {}
  };

  @Property(tries = 500)
  void any_arrival_order_with_repeats_gives_the_views_of_the_fold(@ForAll("deliveries") Delivery delivery) {
    // Given
    InMemoryViewStore views = new InMemoryViewStore();
    Projector projector = new Projector(views, IGNORE);

    // When
    delivery.arrivals().forEach(projector::project);

    // Then
    UUID incident = delivery.history().getFirst().incidentId();
    Fold.Replay expected = Fold.replay(delivery.history());
    assertThat(views.wholeState(incident)).isEqualTo(expected.state().withoutHistory());
    assertThat(views.timeline(incident)).isEqualTo(expected.timeline());
    assertThat(views.episodes(incident)).isEqualTo(expected.state().episodes());
  }

  @Property(tries = 500)
  void late_events_among_stored_episodes_give_the_views_of_the_fold(@ForAll("lateOnes") Delivery delivery) {
    any_arrival_order_with_repeats_gives_the_views_of_the_fold(delivery);
  }

  @Provide
  Arbitrary<Delivery> lateOnes() {
    return Deliveries.inOrderWithLateOnes();
  }

  @Provide
  Arbitrary<Delivery> deliveries() {
    return Deliveries.shuffledWithRepeats();
  }
}
