package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.event.testing.History;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.Record;
import dev.quorum.projection.testing.TestProjection;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * When an instance stops, the other restores its stores from the changelogs, answers the same and publishes
 * what the stopped one had not.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FailoverIT {

  @Test
  void the_remaining_instance_restores_the_stopped_ones_views_and_answers_alike(KafkaBroker broker, PostgresDatabase database) {
    // Given: two instances sharing twelve incidents
    TopicNames topics = TestProjection.topics("failover-it");
    Map<String, String> settings = TestProjection.settings(broker, database, "failover-it", topics);
    ProjectionService first = TestProjection.start(settings);
    ProjectionService second = TestProjection.start(TestProjection.settings(broker, database, "failover-it", topics));
    try (Record record = new Record(database, broker)) {
      Api a = new Api(first.address());
      Api b = new Api(second.address());
      List<History> histories = flapping(12);
      List<UUID> incidents = histories.stream().map(History::incidentId).toList();
      record.storeAndPublish(topics.committed(), histories.stream().flatMap(h -> h.events().stream()).toList());
      // every event applied, not only each incident's first: the timelines compared below are complete
      awaitTimelines(a, incidents);
      Map<UUID, JsonNode> before = new HashMap<>();
      Set<String> owners = new HashSet<>();
      for (UUID id : incidents) {
        Api.Answer answer = a.get("/v1/incidents/" + id + "/timeline");
        before.put(id, answer.json());
        owners.add(answer.servedBy());
      }
      assertThat(owners).hasSize(2);

      // When
      first.close();

      // Then
      await().atMost(Duration.ofSeconds(60)).until(() -> second.ready()
          && incidents.stream().allMatch(id -> b.get("/v1/incidents/" + id).status() == 200));
      for (UUID id : incidents) {
        Api.Answer answer = b.get("/v1/incidents/" + id + "/timeline");
        assertThat(answer.json()).isEqualTo(before.get(id));
        assertThat(answer.servedBy()).isEqualTo(second.address().host() + ":" + second.address().port());
      }
      assertThat(b.get("/readyz", null).status()).isEqualTo(200);
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void views_noted_but_not_yet_published_when_an_instance_stops_are_published_by_the_one_that_takes_over(
      KafkaBroker broker, PostgresDatabase database) {
    // Given: an instance that publishes (and commits) once a minute folds six incidents and stops: its
    // closing commit stores the notes of the changed episodes, whose views it has not published
    TopicNames topics = TestProjection.topics("publication-it");
    Map<String, String> slow = TestProjection.settings(broker, database, "publication-it", topics);
    slow.put("projection.commit.interval.ms", "60000");
    slow.put("projection.streams.producer.transaction.timeout.ms", "120000");
    ProjectionService first = TestProjection.start(slow);
    ProjectionService second = null;
    try (Record record = new Record(database, broker)) {
      Api a = new Api(first.address());
      List<History> histories = flapping(6);
      Map<String, String> expected = new HashMap<>();
      for (History history : histories) {
        expected.put(history.incidentId() + "/1", "resolved");
        expected.put(history.incidentId() + "/2", "triggered");
      }
      record.storeAndPublish(topics.committed(), histories.stream().flatMap(h -> h.events().stream()).toList());
      awaitTimelines(a, histories.stream().map(History::incidentId).toList());
      // and its lag meters count what it applied, not what it committed (nothing yet): they read 0
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
          .until(() -> a.metric("quorum_projection_end_to_end_lag_seconds") == 0.0);
      first.close();
      assertThat(incidentsTopic(broker, topics, Duration.ofSeconds(2))).isEmpty();

      // When
      second = TestProjection.start(TestProjection.settings(broker, database, "publication-it", topics));

      // Then: every episode's view is on the incidents topic, as the fold left it
      Map<String, String> published = new HashMap<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        published.putAll(incidentsTopic(broker, topics, Duration.ofSeconds(1)));
        return published.keySet().containsAll(expected.keySet());
      });
      assertThat(published).isEqualTo(expected);
    } finally {
      first.close();
      if (second != null) second.close();
    }
  }

  /** {@code count} incidents of one alert that fires, is acknowledged, resolves and fires again: two episodes each. */
  private static List<History> flapping(int count) {
    List<History> histories = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      History history = History.random();
      history.add(fired("fp-a"));
      history.add(ack());
      history.add(signalResolved("fp-a"));
      history.add(fired("fp-a"));
      histories.add(history);
    }
    return histories;
  }

  /** Waits until {@code api} shows all four events in each incident's timeline. */
  private static void awaitTimelines(Api api, List<UUID> incidents) {
    await().atMost(Duration.ofSeconds(60)).until(() -> incidents.stream().allMatch(id -> {
      Api.Answer timeline = api.get("/v1/incidents/" + id + "/timeline");
      return timeline.status() == 200 && timeline.json().get("entries").size() == 4;
    }));
  }

  /** The status of each episode view committed to the incidents topic, read from its start for {@code wait}. */
  private static Map<String, String> incidentsTopic(KafkaBroker broker, TopicNames topics, Duration wait) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, String> statuses = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topics.incidents()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long end = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < end) {
        for (ConsumerRecord<String, String> view : consumer.poll(Duration.ofMillis(200))) {
          if (view.value() == null) statuses.remove(view.key());
          else statuses.put(view.key(), status(view.value()));
        }
      }
    }
    return statuses;
  }

  private static String status(String view) {
    try {
      return JSON.readTree(view).get("status").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
}
