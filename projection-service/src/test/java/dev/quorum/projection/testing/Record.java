package dev.quorum.projection.testing;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.kafka.KafkaTestClients;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.Outcome;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the writer's part in tests: stores events in the real event log (which fixes recordedAt) and
 * publishes the stored events to a committed topic, as the writer does after its database commit.
 */
public final class Record implements AutoCloseable {
  private final EventStore store;
  private final KafkaProducer<String, byte[]> producer;

  public Record(PostgresDatabase database, KafkaBroker broker) {
    TransactionRunner runner = new TransactionRunner(database.dataSource(), RetryPolicy.DEFAULT, Duration.ofSeconds(30));
    new Migrator(database.dataSource(), Dialect.POSTGRESQL, runner).migrate();
    this.store = new JdbcEventStore(runner);
    Properties props = KafkaTestClients.producer(broker);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Stores the events in one transaction and returns them as stored (with the database's recordedAt). */
  public List<Event> store(List<Event> events) {
    List<Event> stored = new ArrayList<>(events.size());
    for (int from = 0; from < events.size(); from += 1_000) {
      List<Incoming> batch = events.subList(from, Math.min(events.size(), from + 1_000)).stream()
          .map(e -> new Incoming(e, e.stored().ingestedAt(), e.stored().partition(), e.stored().offset()))
          .toList();
      store.append(batch).outcomes().stream().map(Outcome::stored).forEach(stored::add);
    }
    return stored;
  }

  /** The incident's stored events, in fold order, as the database holds them. */
  public List<Event> events(java.util.UUID incidentId) {
    return store.events(incidentId);
  }

  /** Publishes events to a topic keyed by incident, and waits for the broker's acknowledgement. */
  public void publish(String topic, List<Event> events) {
    for (Event event : events) {
      producer.send(new ProducerRecord<>(topic, event.incidentId().toString(), EventCodec.encode(event)));
    }
    producer.flush();
  }

  /** Stores the events, then publishes what was stored: the writer's order of things. */
  public List<Event> storeAndPublish(String topic, List<Event> events) {
    List<Event> stored = store(events);
    publish(topic, stored);
    return stored;
  }

  @Override
  public void close() {
    producer.close();
  }
}
