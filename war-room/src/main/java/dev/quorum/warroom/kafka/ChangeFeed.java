package dev.quorum.warroom.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.kit.lifecycle.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changed, from Kafka, for the open pages: every episode the projection rewrote (the compacted
 * incidents topic, keyed {@code incidentId/number}) as an {@code incident} message carrying the view, and
 * every stored event (the committed topic) as an {@code event} message naming the incident and the event,
 * so an incident page reloads its timeline. A plain consumer of every partition from the end: no group,
 * nothing committed, so any number of war rooms read alongside each other.
 */
public final class ChangeFeed implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REDISCOVER = Duration.ofSeconds(10);

  private final Properties properties;
  private final String incidents;
  private final String committed;
  private final BiConsumer<String, String> sink;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private boolean started;

  /**
   * @param sink receives (SSE event name, JSON data) on the feed's thread; it must not block
   */
  public ChangeFeed(String bootstrapServers, Map<String, String> clientProperties, String incidents, String committed,
      BiConsumer<String, String> sink) {
    this.properties = new Properties();
    properties.putAll(clientProperties);
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "quorum-war-room");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.incidents = incidents;
    this.committed = committed;
    this.sink = sink;
    this.consumer = new KafkaConsumer<>(properties);
    this.thread = new Thread(this::run, "war-room-change-feed");
    thread.setDaemon(true);
  }

  @Override
  public synchronized ChangeFeed start() {
    if (!running) throw new IllegalStateException("the change feed was closed");
    started = true;
    thread.start();
    return this;
  }

  /** Whether the feed reads both topics (readiness). */
  public boolean assigned() {
    return assigned;
  }

  private void run() {
    Set<TopicPartition> current = new HashSet<>();
    long nextDiscovery = System.nanoTime();
    try {
      while (running) {
        if (System.nanoTime() - nextDiscovery >= 0) {
          Set<TopicPartition> found = discover();
          if (!found.equals(current)) {
            Set<TopicPartition> added = new HashSet<>(found);
            added.removeAll(current);
            consumer.assign(found);
            // only what happens from now on, also on a partition or topic that appears later: a page that
            // connects loads the present through the query API, the feed only tells it what changed since
            consumer.seekToEnd(added);
            current = found;
          }
          assigned = current.stream().anyMatch(p -> p.topic().equals(incidents))
              && current.stream().anyMatch(p -> p.topic().equals(committed));
          nextDiscovery = System.nanoTime() + REDISCOVER.toNanos();
        }
        if (current.isEmpty()) {
          Thread.sleep(500);
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            if (record.topic().equals(incidents)) incident(record);
            else event(record);
          } catch (RuntimeException | IOException e) {
            LOG.warn("skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
          }
        }
      }
    } catch (WakeupException e) {
      if (running) LOG.error("the change feed was woken up unexpectedly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the change feed stopped: {}", e.toString(), e);
    } finally {
      assigned = false;
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private Set<TopicPartition> discover() {
    Set<TopicPartition> found = new HashSet<>();
    for (String topic : List.of(incidents, committed)) {
      try {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
        if (partitions != null) partitions.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
      } catch (org.apache.kafka.common.KafkaException e) {
        LOG.debug("partitions of {} not known yet: {}", topic, e.toString());
      }
    }
    return found;
  }

  private void incident(ConsumerRecord<String, byte[]> record) throws IOException {
    if (record.value() == null) {
      // a tombstone: a late event merged the episode away
      String key = record.key() == null ? "" : record.key();
      int slash = key.indexOf('/');
      ObjectNode gone = JSON.createObjectNode();
      gone.put("incidentId", slash < 0 ? key : key.substring(0, slash));
      if (slash >= 0) gone.put("episode", Integer.parseInt(key.substring(slash + 1)));
      gone.put("gone", true);
      sink.accept("gone", gone.toString());
      return;
    }
    JsonNode view = JSON.readTree(record.value());
    sink.accept("incident", view.toString());
  }

  private void event(ConsumerRecord<String, byte[]> record) throws IOException {
    JsonNode event = JSON.readTree(record.value());
    ObjectNode notice = JSON.createObjectNode();
    notice.put("incidentId", event.path("subject").asText());
    notice.put("eventId", event.path("id").asText());
    notice.put("type", event.path("type").asText());
    sink.accept("event", notice.toString());
  }

  @Override
  public synchronized void close() {
    if (!running) return;
    running = false;
    if (!started) {
      consumer.close(Duration.ZERO);
      return;
    }
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
