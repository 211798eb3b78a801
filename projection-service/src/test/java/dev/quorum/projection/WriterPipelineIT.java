package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Ids;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Fold;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.kafka.ViewSerdes;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.Record;
import dev.quorum.projection.testing.TestProjection;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.stack.kafka.KafkaTestClients;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterService;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The whole write path: actions → writer → database and committed topic → projection → query API. */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterPipelineIT {

  @Test
  void actions_the_writer_stores_show_in_the_views_and_the_event_status(KafkaBroker broker, PostgresDatabase database)
      throws IOException {
    // Given: a writer and a projection sharing the committed topic and the database
    String actions = "pipeline-it.actions";
    TopicNames topics = TestProjection.topics("pipeline-it");
    broker.createTopic(actions, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    broker.createTopic(topics.committed(), 3);
    broker.createTopic("pipeline-it.dlq", 1);
    try (WriterService writer = new WriterService(WriterConfig.parse(writerConfig(broker, database, actions, topics))).start();
         ProjectionService projection = TestProjection.start(TestProjection.settings(broker, database, "pipeline-it", topics));
         Record record = new Record(database, broker);
         KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
             KafkaTestClients.producer(broker), new StringSerializer(), new ByteArraySerializer())) {
      Api api = new Api(projection.address());
      await().atMost(Duration.ofSeconds(30)).until(writer::isReady);

      // When: two incidents' actions are published, one of them twice (a retrying client)
      List<Event> sent = new ArrayList<>();
      UUID first = UUID.randomUUID();
      UUID second = UUID.randomUUID();
      sent.add(action(first, fired("fp-a")));
      sent.add(action(second, new EventData.IncidentTriggered("Queue backlog", "billing", null, null)));
      sent.add(action(first, ack()));
      sent.add(action(first, assigned("user:carol")));
      sent.add(action(second, note("looking at the consumer lag")));
      sent.add(action(first, signalResolved("fp-a")));
      sent.add(action(second, resolved()));
      for (Event event : sent) {
        producer.send(new ProducerRecord<>(actions, event.incidentId().toString(), EventCodec.encode(event)));
      }
      producer.send(new ProducerRecord<>(actions, first.toString(), EventCodec.encode(sent.get(2))));
      producer.flush();

      // Then: each view is the fold of what the database stored, and every event reads as applied
      for (UUID incident : List.of(first, second)) {
        String path = "/v1/incidents/" + incident;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          Api.Answer answer = api.get(path);
          return answer.status() == 200 && answer.json().get("events").asInt() == record.events(incident).size()
              && record.events(incident).size() == sent.stream().filter(e -> e.incidentId().equals(incident)).count();
        });
        List<Event> stored = record.events(incident);
        assertThat(api.get(path).json()).isEqualTo(json(Views.stream(Fold.fold(stored))));
        assertThat(api.get(path + "?asOf=" + Instant.now() + "&axis=recorded").json().get("view"))
            .isEqualTo(api.get(path).json());
      }
      for (Event event : sent) {
        JsonNode status = api.get("/v1/events/" + event.id()).json();
        assertThat(status.get("stored").asBoolean()).isTrue();
        assertThat(status.get("applied").asBoolean()).isTrue();
      }
      assertThat(api.get("/v1/incidents/" + first).json().get("latest").get("status").asText()).isEqualTo("resolved");
      assertThat(projection.registry().get("quorum.projection.events").tag("outcome", "applied").counter().count())
          .isEqualTo(7.0);
    }
  }

  private static Event action(UUID incident, EventData data) {
    return Event.of(Ids.newEventId(), "test/pipeline", incident, Instant.now(), "user:alice", data);
  }

  private static JsonNode json(Object value) throws IOException {
    return ViewSerdes.JSON.readTree(ViewSerdes.JSON.writeValueAsBytes(value));
  }

  private static Map<String, String> writerConfig(KafkaBroker broker, PostgresDatabase database, String actions, TopicNames topics) {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
    raw.put("writer.group.id", "pipeline-it-writer");
    raw.put("writer.instance.id", "0");
    raw.put("writer.topic.actions", actions);
    raw.put("writer.topic.committed", topics.committed());
    raw.put("writer.topic.dlq", "pipeline-it.dlq");
    raw.put("writer.batch.max.wait", "20ms");
    raw.put("writer.poll.timeout", "100ms");
    raw.put("writer.kafka.transaction.timeout", KafkaTestClients.TRANSACTION_TIMEOUT_MS + "ms");
    raw.put("db.url", database.jdbcUrl());
    raw.put("db.username", database.username());
    raw.put("db.password", database.password() == null ? "" : database.password());
    raw.put("db.pool.size", "2");
    raw.put("kafka.client.session.timeout.ms", Integer.toString(KafkaTestClients.SESSION_TIMEOUT_MS));
    raw.put("kafka.client.heartbeat.interval.ms", Integer.toString(KafkaTestClients.HEARTBEAT_INTERVAL_MS));
    return raw;
  }
}
