package dev.quorum.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes events to Quorum's actions topic: validated with the event codec first, keyed by incident,
 * through an idempotent {@code acks=all} producer; each future completes once the broker acknowledged the
 * write, with the record's partition and offset.
 *
 * <p>Thread-safe; one instance per application, closed on shutdown.
 */
public final class QuorumPublisher implements AutoCloseable {
  /** CloudEvents' Kafka binding, structured mode: the header that tells a consumer the value is a whole event. */
  public static final String CONTENT_TYPE_HEADER = "content-type";
  /** The value of {@link #CONTENT_TYPE_HEADER} on every record published. */
  public static final String CONTENT_TYPE_VALUE = EventCodec.MEDIA_TYPE + "; charset=UTF-8";
  private static final byte[] CONTENT_TYPE = CONTENT_TYPE_VALUE.getBytes(StandardCharsets.UTF_8);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** How a failed publication should be reported to whoever asked for it. */
  public enum Failure {
    /** The record can never be written as it is (larger than the producer or topic allows). */
    TOO_LARGE,
    /** Kafka did not acknowledge in time or refused for a reason that may pass: try again later. */
    UNAVAILABLE
  }

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Wraps a producer built elsewhere (to bind its metrics, say); it must be idempotent with {@code acks=all}. */
  public QuorumPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
  }

  /** A publisher with its own producer. */
  public static QuorumPublisher create(PublisherConfig config) {
    return new QuorumPublisher(new KafkaProducer<>(config.producerProperties()), config.topic());
  }

  public String topic() {
    return topic;
  }

  /**
   * Publishes one event.
   *
   * @throws DecodeException at once, with nothing sent, if the event is not valid as the codec reads it
   */
  public CompletableFuture<Published> publish(Event event) {
    return send(event.id(), event.incidentId(), validated(event));
  }

  /**
   * Publishes the bytes of a line that {@link EventCodec#decode(byte[])} accepted as an event of incident
   * {@code incidentId}, without what only the pipeline may set, as they were read: that decoding validated them,
   * and the writer decodes them the same way, so they are not written out again.
   *
   * <p>For bulk senders: no future and no {@link Published} per event (building them for each event of a file
   * was half the work of the producer's I/O thread). {@code done} is called once, with {@code null} when the
   * broker acknowledged the event or with why it did not; on the producer's I/O thread, so it must be short.
   */
  public void publishDecoded(UUID incidentId, byte[] decodedFrom, Consumer<Exception> done) {
    Objects.requireNonNull(done, "done");
    ProducerRecord<String, byte[]> record = record(Objects.requireNonNull(incidentId, "incidentId"),
        Objects.requireNonNull(decodedFrom, "decodedFrom"));
    try {
      producer.send(record, (metadata, error) -> done.accept(error));
    } catch (KafkaException | IllegalStateException e) {
      // send() throws rather than calling back for a closed producer or an interrupted wait
      done.accept(e);
    }
  }

  /**
   * Publishes several events; the future completes when every one was acknowledged, or fails with the
   * first failure once every send has an outcome (so a caller that retries knows nothing is in flight).
   * When a send fails at once, the events after it are not sent.
   *
   * @throws DecodeException at once, with nothing sent, if any event is invalid
   */
  public CompletableFuture<List<Published>> publishAll(List<Event> events) {
    List<byte[]> values = new ArrayList<>(events.size());
    for (Event event : events) values.add(validated(event));
    List<CompletableFuture<Published>> sends = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      CompletableFuture<Published> sent = send(events.get(i).id(), events.get(i).incidentId(), values.get(i));
      sends.add(sent);
      // a send that failed at once (no metadata within max.block.ms) means the rest would each block
      // as long: fail the batch now instead of waiting max.block.ms per event
      if (sent.isCompletedExceptionally()) break;
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(done -> sends.stream().map(CompletableFuture::join).toList());
  }

  /** Sends what was buffered and waits for the answers. */
  public void flush() {
    producer.flush();
  }

  /** Classifies the cause of a failed future. */
  public static Failure classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) return Failure.TOO_LARGE;
    }
    return Failure.UNAVAILABLE;
  }

  /** Flushes and closes the producer, waiting at most ten seconds for outstanding sends. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      producer.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * The encoded event, after checking that the codec reads it back unchanged: what a consumer will
   * decode is exactly what was published.
   */
  static byte[] validated(Event event) {
    refuseStored(event);
    byte[] value = EventCodec.encode(event);
    // decoding refuses what cannot be stored (NUL, unpaired surrogates), naming the field
    Event decoded = EventCodec.decode(value);
    if (!decoded.equals(event) && !EventCodec.sameContent(decoded, event)) {
      throw new DecodeException("$", "does not survive encoding unchanged");
    }
    return value;
  }

  private static void refuseStored(Event event) {
    Objects.requireNonNull(event, "event");
    if (event.isStored()) {
      throw new DecodeException("$.ingestedat", "is set by the pipeline when the event is first stored; a producer must not send it");
    }
  }

  private CompletableFuture<Published> send(UUID eventId, UUID incidentId, byte[] value) {
    CompletableFuture<Published> result = new CompletableFuture<>();
    ProducerRecord<String, byte[]> record = record(incidentId, value);
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(published(eventId, incidentId, metadata));
        }
      });
    } catch (KafkaException | IllegalStateException e) {
      // send() throws rather than calling back for a closed producer or an interrupted wait
      result.completeExceptionally(e);
    }
    return result;
  }

  private ProducerRecord<String, byte[]> record(UUID incidentId, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(CONTENT_TYPE_HEADER, CONTENT_TYPE);
    return new ProducerRecord<>(topic, null, null, Topics.key(incidentId), value, headers);
  }

  private static Published published(UUID eventId, UUID incidentId, RecordMetadata metadata) {
    Instant timestamp = metadata.hasTimestamp() ? Instant.ofEpochMilli(metadata.timestamp()) : null;
    return new Published(eventId, incidentId, metadata.topic(), metadata.partition(), metadata.offset(), timestamp);
  }
}
