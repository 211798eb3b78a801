package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.projection.domain.EventLog;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends stored events from the event log to a topic, keyed by incident like the writer does, so that
 * they land in the partition of their incident: behind {@code rebuild} (to the rebuild topic) and
 * {@code replay} (to the committed topic). Consumers are idempotent on event id, so sending an event
 * that is already there is harmless.
 */
public final class Republisher {
  private static final int BATCH = 500;

  private final EventLog log;
  private final Properties producerProps;

  public Republisher(EventLog log, String bootstrapServers, Properties overrides) {
    this.log = log;
    this.producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producerProps.putAll(overrides);
  }

  /**
   * Sends every event recorded in {@code [from, to)} to {@code topic} and returns how many were sent,
   * once the broker acknowledged all of them.
   *
   * @param progress told after each acknowledged batch: events sent so far, ingestedAt of the last one (the
   *     scan goes in fold order, so this grows; it is never later than the recording time)
   */
  public long republish(String topic, Instant from, Instant to, BiConsumer<Long, Instant> progress) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    long[] sent = {0};
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      log.scan(from, to, BATCH, events -> {
        send(producer, topic, events, failure);
        producer.flush();
        if (failure.get() != null) {
          throw new IllegalStateException("sending to " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        sent[0] += events.size();
        progress.accept(sent[0], events.getLast().stored().ingestedAt());
      });
    }
    return sent[0];
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, List<Event> events,
      AtomicReference<Exception> failure) {
    // The log hands them over in fold order: the projection applies them incrementally, never re-folding.
    for (Event event : events) {
      producer.send(new ProducerRecord<>(topic, Topics.key(event), EventCodec.encode(event)), (metadata, e) -> {
        if (e != null) failure.compareAndSet(null, e);
      });
    }
  }
}
