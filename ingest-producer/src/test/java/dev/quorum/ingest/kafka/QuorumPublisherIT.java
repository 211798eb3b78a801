package dev.quorum.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.Ids;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.testing.TopicReader;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.junit.WithKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithKafka
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QuorumPublisherIT {
  private static final String TOPIC = "publisher-it.actions.v1";

  @Test
  void published_events_are_on_the_topic_keyed_by_incident_at_the_acknowledged_coordinates(KafkaBroker kafka) {
    // Given the actions topic with broker append times
    kafka.createTopic(TOPIC, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    UUID incident = UUID.randomUUID();
    List<Event> events = IntStream.range(0, 20)
        .mapToObj(i -> Event.of(Ids.newEventId(), "it", incident, Instant.now(), "user:alice",
            i == 0 ? new IncidentAcknowledged() : new NoteAdded("note " + i)))
        .toList();

    // When they are published
    List<Published> published;
    try (QuorumPublisher publisher = QuorumPublisher.create(config(kafka))) {
      published = publisher.publishAll(events).join();
    }

    // Then every event is on the topic, in one partition, in order, where the futures said
    assertThat(published).extracting(Published::partition).containsOnly(published.getFirst().partition());
    assertThat(published).extracting(Published::offset).isSorted().doesNotHaveDuplicates();
    try (TopicReader reader = new TopicReader(kafka, TOPIC)) {
      List<ConsumerRecord<String, byte[]>> records = reader.readAll().stream()
          .filter(r -> r.key().equals(incident.toString())).toList();
      assertThat(records).extracting(r -> EventCodec.decode(r.value())).containsExactlyElementsOf(events);
      assertThat(records).extracting(ConsumerRecord::offset).containsExactlyElementsOf(published.stream().map(Published::offset).toList());
      assertThat(records).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.LOG_APPEND_TIME);
      assertThat(published.getFirst().timestamp()).isEqualTo(Instant.ofEpochMilli(records.getFirst().timestamp()));
    }
  }

  static PublisherConfig config(KafkaBroker kafka) {
    return PublisherConfig.builder(kafka.bootstrapServers())
        .topic(TOPIC)
        .deliveryTimeout(Duration.ofSeconds(20))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }
}
