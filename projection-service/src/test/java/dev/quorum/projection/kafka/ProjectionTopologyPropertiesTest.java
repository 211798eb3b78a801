package dev.quorum.projection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.Fold;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.testing.Deliveries;
import dev.quorum.projection.testing.Deliveries.Delivery;
import dev.quorum.projection.testing.ProjectionDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ProjectionTopologyPropertiesTest {

  @Property(tries = 15)
  void the_stores_hold_the_fold_whatever_the_arrival_order_and_repeats(@ForAll("deliveries") Delivery delivery)
      throws IOException {
    Path stateDir = Files.createTempDirectory(Path.of("target"), "topology-property");
    try (ProjectionDriver driver = new ProjectionDriver(stateDir)) {
      // When
      driver.publishAll(delivery.arrivals());

      // Then
      UUID incident = delivery.history().getFirst().incidentId();
      Fold.Replay expected = Fold.replay(delivery.history());
      assertThat(driver.state(incident)).isEqualTo(expected.state().withoutHistory());
      assertThat(driver.timeline(incident)).isEqualTo(expected.timeline());
      assertThat(driver.episodes(incident)).isEqualTo(expected.state().episodes());
      assertThat(driver.incidentsTopic().get(incident.toString())).isEqualTo(Views.stream(expected.state()));
    }
  }

  @Provide
  Arbitrary<Delivery> deliveries() {
    return Deliveries.shuffledWithRepeats();
  }
}
