package dev.quorum.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.Ids;
import dev.quorum.event.Stored;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.kafka.QuorumPublisher.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QuorumPublisherTest {
  private static final UUID INCIDENT = UUID.fromString("8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f");
  private static final Instant NOW = Instant.parse("2026-06-15T02:14:07.123Z");

  private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final QuorumPublisher publisher = new QuorumPublisher(producer, Topics.ACTIONS);

  @Test
  void an_event_is_sent_keyed_by_incident_as_a_structured_cloud_event_and_completes_on_acknowledgement() {
    // Given an event
    Event event = ack();

    // When it is published
    CompletableFuture<Published> future = publisher.publish(event);

    // Then the record is keyed by incident, carries the encoded event, and the future waits for the broker
    ProducerRecord<String, byte[]> record = producer.history().getFirst();
    assertThat(record.topic()).isEqualTo(Topics.ACTIONS);
    assertThat(record.key()).isEqualTo(INCIDENT.toString());
    assertThat(EventCodec.decode(record.value())).isEqualTo(event);
    assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
        .startsWith("application/cloudevents+json");
    assertThat(future).isNotDone();

    producer.completeNext();
    assertThat(future.join()).satisfies(published -> {
      assertThat(published.eventId()).isEqualTo(event.id());
      assertThat(published.incidentId()).isEqualTo(INCIDENT);
      assertThat(published.partition()).isZero();
      assertThat(published.offset()).isZero();
    });
  }

  @Test
  void an_invalid_event_is_refused_before_anything_is_sent() {
    // Given events the codec would not read back: a blank note, and one that claims to be stored
    Event blank = Event.of(Ids.newEventId(), "svc", INCIDENT, NOW, "user:alice", new NoteAdded(" "));
    Event stored = ack().withStored(new Stored(NOW, NOW, 0, 1));

    // Then each is refused at once, naming the field, and nothing reaches Kafka
    assertThatThrownBy(() -> publisher.publish(blank))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.path()).isEqualTo("$.data.text"));
    assertThatThrownBy(() -> publisher.publishAll(List.of(ack(), stored)))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.path()).isEqualTo("$.ingestedat"));
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void text_that_is_not_valid_unicode_is_refused_rather_than_sent() {
    Event lone = Event.of(Ids.newEventId(), "svc", INCIDENT, NOW, "user:alice", new NoteAdded("broken \ud800 surrogate"));
    assertThatThrownBy(() -> publisher.publish(lone))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.path()).isEqualTo("$.data.text"));
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void a_batch_completes_once_every_event_is_acknowledged_and_fails_with_the_first_failure() {
    // Given a batch of three whose second send times out
    CompletableFuture<List<Published>> batch = publisher.publishAll(List.of(ack(), ack(), ack()));

    // When the broker answers each
    producer.completeNext();
    assertThat(batch).isNotDone();
    producer.errorNext(new TimeoutException("Expiring 1 record(s): 5000 ms has passed since batch creation"));
    assertThat(batch).isNotDone();
    producer.completeNext();

    // Then the batch fails, classified as a Kafka outage
    assertThat(batch).isCompletedExceptionally();
    Throwable cause = batch.handle((ok, error) -> error).join();
    assertThat(QuorumPublisher.classify(cause)).isEqualTo(Failure.UNAVAILABLE);
  }

  @Test
  void a_batch_stops_at_a_send_that_fails_at_once() {
    // Given a producer that cannot learn the topic's metadata: each send would block max.block.ms, then fail
    AtomicInteger attempts = new AtomicInteger();
    MockProducer<String, byte[]> noMetadata = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        // what KafkaProducer does when metadata does not arrive within max.block.ms: call back, return a failed future
        attempts.incrementAndGet();
        TimeoutException timeout = new TimeoutException("Topic quorum.actions.v1 not present in metadata after 3000 ms.");
        callback.onCompletion(null, timeout);
        return CompletableFuture.failedFuture(timeout);
      }
    };
    QuorumPublisher blocked = new QuorumPublisher(noMetadata, Topics.ACTIONS);

    // When a batch of three is published
    CompletableFuture<List<Published>> batch = blocked.publishAll(List.of(ack(), ack(), ack()));

    // Then it fails after the first send, without trying the others
    assertThat(batch).isCompletedExceptionally();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void bytes_a_bulk_sender_decoded_go_as_read_and_each_outcome_is_told_once() {
    // Given two lines a file held, as the codec accepted them (spacing kept), and a closed-over outcome list
    byte[] first = (" " + new String(EventCodec.encode(ack()), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    byte[] second = EventCodec.encode(ack());
    List<Exception> outcomes = new java.util.ArrayList<>();

    // When both are published through the bulk path
    publisher.publishDecoded(INCIDENT, first, outcomes::add);
    publisher.publishDecoded(INCIDENT, second, outcomes::add);

    // Then each record is the same bytes, keyed by incident, with the structured-mode header
    assertThat(producer.history()).hasSize(2);
    ProducerRecord<String, byte[]> record = producer.history().getFirst();
    assertThat(record.value()).isSameAs(first);
    assertThat(record.key()).isEqualTo(INCIDENT.toString());
    assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
        .isEqualTo(QuorumPublisher.CONTENT_TYPE_VALUE);
    // and nothing is told before the broker answers; then a success as null, a failure as its cause, once each
    assertThat(outcomes).isEmpty();
    producer.completeNext();
    RecordTooLargeException tooLarge = new RecordTooLargeException("The message is 2000000 bytes");
    producer.errorNext(tooLarge);
    assertThat(outcomes).containsExactly(null, tooLarge);
  }

  @Test
  void a_closed_publisher_tells_a_bulk_sender_instead_of_throwing() {
    publisher.close();
    List<Exception> outcomes = new java.util.ArrayList<>();
    publisher.publishDecoded(INCIDENT, EventCodec.encode(ack()), outcomes::add);
    assertThat(outcomes).singleElement().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void a_record_too_large_is_told_apart_from_an_outage() {
    CompletableFuture<Published> future = publisher.publish(ack());
    producer.errorNext(new RecordTooLargeException("The message is 2000000 bytes"));
    Throwable cause = future.handle((ok, error) -> error).join();
    assertThat(QuorumPublisher.classify(cause)).isEqualTo(Failure.TOO_LARGE);
  }

  @Test
  void a_closed_publisher_fails_the_future_instead_of_throwing() {
    publisher.close();
    publisher.close();
    assertThat(publisher.publish(ack())).isCompletedExceptionally();
  }

  private static Event ack() {
    return Event.of(Ids.newEventId(), "pager-bridge", INCIDENT, NOW, "user:alice", new IncidentAcknowledged());
  }
}
