package dev.quorum.projection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.testing.Deliveries;
import dev.quorum.projection.testing.Deliveries.Delivery;
import dev.quorum.projection.testing.ProjectionDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.state.Stores;

class ProjectionTopologyPropertiesTest {

  /**
   * Shuffled, repeated and late deliveries of several incidents (with merges, and episodes that late
   * events delete): every store, the incidents topic and the analytics equal the fold. In-memory stores:
   * the driver commits (and RocksDB flushes) after every record.
   */
  @Property(tries = 20)
  void the_stores_hold_the_fold_whatever_the_arrival_order_and_repeats(
      @ForAll("deliveries") List<Delivery> deliveries, @ForAll long seed) throws IOException {
    // Given: the incidents' arrivals interleaved, each incident's own arrival order kept
    List<Event> interleaved = interleave(deliveries, new Random(seed));
    Path stateDir = Files.createTempDirectory(Path.of("target"), "topology-property");
    try (ProjectionDriver driver = new ProjectionDriver(stateDir, Stores::inMemoryKeyValueStore)) {
      // When
      driver.publishAll(interleaved);

      // Then
      for (Delivery delivery : deliveries) {
        UUID incident = delivery.history().getFirst().incidentId();
        Fold.Replay expected = Fold.replay(delivery.history());
        assertThat(driver.state(incident)).isEqualTo(expected.state().withoutHistory());
        assertThat(driver.timeline(incident)).isEqualTo(expected.timeline());
        assertThat(driver.episodes(incident)).isEqualTo(expected.state().episodes());
        Map<String, Views.IncidentView> published = new TreeMap<>(driver.incidentsTopic());
        published.keySet().removeIf(key -> !key.startsWith(incident + "/"));
        Map<String, Views.IncidentView> episodes = new TreeMap<>();
        expected.state().episodes().forEach(e -> episodes.put(incident + "/" + e.number(), Views.incident(incident, e)));
        assertThat(published).isEqualTo(episodes);
      }
      // The listing index names every episode once, under its status and trigger time
      java.util.Set<dev.quorum.projection.domain.ListingKey> listed = new java.util.HashSet<>();
      for (Delivery delivery : deliveries) {
        UUID incident = delivery.history().getFirst().incidentId();
        Fold.fold(delivery.history()).episodes().forEach(e -> listed.add(dev.quorum.projection.domain.ListingKey.of(incident, e)));
      }
      assertThat(driver.listing()).containsExactlyInAnyOrderElementsOf(listed);
      // The adder and subtractor leave exactly the samples of the folded episodes: late events that
      // change, merge away or delete an episode took their earlier samples out again.
      Map<BucketKey, Bucket> expected = new TreeMap<>(java.util.Comparator.comparing(BucketKey::encode));
      for (Delivery delivery : deliveries) {
        for (Episode episode : Fold.fold(delivery.history()).episodes()) {
          EpisodeSample.of(episode).ifPresent(sample -> expected.merge(sample.bucket(), Bucket.EMPTY.plus(sample), Bucket::plus));
        }
      }
      assertThat(driver.buckets()).isEqualTo(expected);
    }
  }

  @Provide
  Arbitrary<List<Delivery>> deliveries() {
    return Deliveries.shuffledWithRepeats().list().ofMinSize(1).ofMaxSize(8)
        .uniqueElements(d -> d.history().getFirst().incidentId());
  }

  private static List<Event> interleave(List<Delivery> deliveries, Random random) {
    List<List<Event>> queues = new ArrayList<>();
    deliveries.forEach(d -> queues.add(new ArrayList<>(d.arrivals())));
    List<Event> out = new ArrayList<>();
    while (!queues.isEmpty()) {
      int pick = random.nextInt(queues.size());
      out.add(queues.get(pick).removeFirst());
      if (queues.get(pick).isEmpty()) queues.remove(pick);
    }
    return out;
  }
}
