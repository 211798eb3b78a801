package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
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
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** When an instance stops, the other restores its stores from the changelogs and answers the same. */
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
      List<UUID> incidents = new ArrayList<>();
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        History history = History.random();
        history.add(fired("fp-a"));
        history.add(ack());
        history.add(signalResolved("fp-a"));
        history.add(fired("fp-a"));
        incidents.add(history.incidentId());
        events.addAll(history.events());
      }
      record.storeAndPublish(topics.committed(), events);
      // every event applied, not only each incident's first: the timelines compared below are complete
      await().atMost(Duration.ofSeconds(60)).until(() -> incidents.stream().allMatch(id -> {
        Api.Answer timeline = a.get("/v1/incidents/" + id + "/timeline");
        return timeline.status() == 200 && timeline.json().get("entries").size() == 4;
      }));
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
}
