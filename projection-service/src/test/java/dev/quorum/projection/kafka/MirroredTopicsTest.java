package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import dev.quorum.projection.domain.EpisodeItems;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two regions: this region's committed topic and the other region's, mirrored, folded as one set of events. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MirroredTopicsTest {
  private static final String MIRRORED = "A.quorum.events.committed.v1";
  private static final ProjectionTopology.TopicNames TOPICS = new ProjectionTopology.TopicNames(
      "quorum.events.committed.v1", ProjectionTopology.TopicNames.REBUILD, "quorum.incidents.v1", "quorum.actions.v1", List.of(MIRRORED));

  @TempDir Path stateDir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;

  private TopologyTestDriver start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projection-regions-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(ProjectionTopology.topology(TOPICS, new ProjectionMetrics(registry, Clock.systemUTC()),
        Stores::inMemoryKeyValueStore), props);
    return driver;
  }

  @AfterEach
  void stop() {
    if (driver != null) driver.close();
  }

  private TestInputTopic<String, byte[]> topic(String name) {
    return driver.createInputTopic(name, new StringSerializer(), new ByteArraySerializer());
  }

  private static void send(TestInputTopic<String, byte[]> topic, Event event) {
    topic.pipeInput(event.incidentId().toString(), EventCodec.encode(event));
  }

  @Test
  void the_sources_are_this_regions_committed_topic_the_mirrored_ones_and_the_rebuild() {
    assertThat(TOPICS.sources()).containsExactly("quorum.events.committed.v1", MIRRORED, ProjectionTopology.TopicNames.REBUILD);
    assertThat(new ProjectionTopology.TopicNames("c", "r", "i").mirrored()).isEmpty();
  }

  @Test
  void an_event_arriving_from_both_regions_is_folded_once_and_the_views_are_the_fold_of_the_set() {
    // Given an incident whose events were stored by both regions' writers
    start();
    History history = History.random();
    Event trigger = history.add(triggered());
    Event ackInB = history.add(ack(), "user:bob");
    Event assignInA = history.add(assigned("user:ann"));
    TestInputTopic<String, byte[]> local = topic(TOPICS.committed());
    TestInputTopic<String, byte[]> mirrored = topic(MIRRORED);

    // When an event posted to both regions (a derived id) comes on this region's topic and on the mirrored one,
    // and the other events each on one of them, out of fold order
    send(mirrored, assignInA);
    send(local, trigger);
    send(mirrored, trigger);
    send(local, ackInB);
    send(mirrored, trigger);

    // Then each id counts once, and the state is the fold of the three stored events
    KeyValueStore<String, IncidentState> states = driver.getKeyValueStore(StoreNames.STATE);
    IncidentState state = states.get(history.incidentId().toString());
    // (as stored: the assignee is an item of its own, ADR 8)
    assertThat(state).isEqualTo(EpisodeItems.trim(Fold.fold(history.events()).withoutHistory()));
    KeyValueStore<Bytes, byte[]> items = driver.getKeyValueStore(StoreNames.ITEMS);
    assertThat(items.get(Bytes.wrap(new EpisodeItems.Item(history.incidentId(), 1, null, null, null, null, "user:ann", null).key())))
        .isNotNull();
    assertThat(state.events()).isEqualTo(3);
    assertThat(registry.get("quorum.projection.events").tag("outcome", "duplicate").counter().count()).isEqualTo(2);
    // and the mirrored copies were measured as that direction's replication lag
    assertThat(registry.get("quorum.projection.replication.lag").tag("topic", MIRRORED).timer().count()).isEqualTo(3);
  }

  @Test
  void an_acknowledgement_that_sorts_before_the_trigger_it_answers_acknowledges_the_episode_whichever_arrives_first() {
    for (boolean ackFirst : new boolean[] {true, false}) {
      // Given the trigger ingested here at T and the ack of it ingested in the other region, whose clock is
      // 2 s behind, at T - 1.5 s
      stop();
      start();
      java.time.Instant t = History.START;
      java.util.UUID incident = java.util.UUID.randomUUID();
      Event trigger = stored(incident, triggered(), t, 0);
      Event ack = stored(incident, ack(), t.minusMillis(1_500), 1);

      // When they reach this projection in either order
      if (ackFirst) {
        send(topic(MIRRORED), ack);
        send(topic(TOPICS.committed()), trigger);
      } else {
        send(topic(TOPICS.committed()), trigger);
        send(topic(MIRRORED), ack);
      }

      // Then the episode is acknowledged, as the fold of the two says
      KeyValueStore<String, IncidentState> states = driver.getKeyValueStore(StoreNames.STATE);
      IncidentState state = states.get(incident.toString());
      assertThat(state).as("ack first: " + ackFirst).isEqualTo(Fold.fold(List.of(trigger, ack)).withoutHistory());
      assertThat(state.latest().orElseThrow().status()).isEqualTo(dev.quorum.event.fold.Status.ACKNOWLEDGED);
    }
  }

  private static Event stored(java.util.UUID incident, dev.quorum.event.EventData data, java.time.Instant at, int partition) {
    return new Event(dev.quorum.event.Ids.newEventId(), "test/regions", incident, at, "user:alice", null, data,
        new dev.quorum.event.Stored(at, at.plusMillis(40), partition, 7));
  }
}
