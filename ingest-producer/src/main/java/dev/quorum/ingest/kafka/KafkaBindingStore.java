package dev.quorum.ingest.kafka;

import dev.quorum.ingest.slack.ChannelBindings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack channel bindings in a compacted Kafka topic that every gateway replica reads from the start:
 * a bind is acknowledged by the brokers before it is confirmed, and a lookup first catches up with the
 * topic's end, so a channel bound through one replica is bound for the next command on any other.
 */
public final class KafkaBindingStore implements ChannelBindings.Store {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBindingStore.class);

  private final String topic;
  private final Duration timeout;
  private final KafkaProducer<String, String> producer;
  private final Admin admin;
  private final KafkaConsumer<String, String> consumer;
  private final Map<String, String> values = new ConcurrentHashMap<>();
  /** The next offset to read, per partition, as the reader thread last saw it. */
  private volatile Map<TopicPartition, Long> positions = Map.of();
  private final Thread reader;
  private volatile boolean running = true;

  /**
   * @param clientProperties the connection and security properties of the gateway's producer
   * @param timeout how long a write or a catch-up may wait for Kafka (a Slack reply has 3 s in all)
   */
  public KafkaBindingStore(Properties clientProperties, String topic, Duration timeout) {
    this.topic = topic;
    this.timeout = timeout;
    this.admin = Admin.create(only(clientProperties, AdminClientConfig.configNames(), Map.of(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()))));
    createIfMissing();
    this.producer = new KafkaProducer<>(only(clientProperties, ProducerConfig.configNames(), Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.LINGER_MS_CONFIG, "0",
        ProducerConfig.CLIENT_ID_CONFIG, "quorum-gateway-bindings",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())));
    this.consumer = new KafkaConsumer<>(only(clientProperties, ConsumerConfig.configNames(), Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.CLIENT_ID_CONFIG, "quorum-gateway-bindings-reader",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())));
    this.reader = Thread.ofPlatform().daemon().name("slack-bindings-reader").start(this::read);
  }

  /** Creates the compacted topic unless it exists; a Kafka that does not answer now gets another try from the reader. */
  private void createIfMissing() {
    try {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("created the compacted topic {} for Slack channel bindings", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) LOG.warn("could not create {}: {}", topic, e.getCause().toString());
    } catch (TimeoutException e) {
      LOG.warn("could not create {}: Kafka did not answer within {} ms", topic, timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read() {
    while (running) {
      try {
        if (consumer.assignment().isEmpty()) {
          List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
          if (partitions == null || partitions.isEmpty()) {
            createIfMissing();
            Thread.sleep(500); // the topic is being created, or Kafka is down: look again shortly
            continue;
          }
          List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
          consumer.assign(assigned);
          consumer.seekToBeginning(assigned);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          if (record.key() == null) continue;
          if (record.value() == null) values.remove(record.key());
          else values.put(record.key(), record.value());
        }
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) now.put(partition, consumer.position(partition));
        positions = Map.copyOf(now);
      } catch (InterruptedException e) {
        return;
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        if (!running) return;
      } catch (RuntimeException e) {
        if (!running) return;
        LOG.warn("reading the Slack channel bindings failed, trying again: {}", e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public String get(String key) {
    catchUp();
    return values.get(key);
  }

  /** Waits until the reader has read every record that was in the topic when this was called. */
  private void catchUp() {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      List<TopicPartition> partitions = positions.isEmpty() ? List.of(new TopicPartition(topic, 0)) : List.copyOf(positions.keySet());
      Map<TopicPartition, Long> ends = admin.listOffsets(
              partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      while (!reached(ends)) {
        if (System.nanoTime() > deadline) {
          LOG.warn("the Slack channel bindings are not caught up after {} ms; answering from what was read", timeout.toMillis());
          return;
        }
        Thread.sleep(5);
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("could not learn the end of {} ({}); answering from what was read", topic, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> read = positions;
    return ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || read.getOrDefault(end.getKey(), 0L) >= end.getValue());
  }

  @Override
  public void put(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      values.put(key, value); // the reader will read it too; this replica sees it at once
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not acknowledge the channel binding: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding a channel", e);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      reader.join(timeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(2));
    producer.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
  }

  /** The properties of {@code names} from the gateway's client settings, then {@code fixed}. */
  private static Properties only(Properties from, java.util.Set<String> names, Map<String, String> fixed) {
    Properties result = new Properties();
    for (String name : from.stringPropertyNames()) {
      if (names.contains(name)) result.setProperty(name, from.getProperty(name));
    }
    fixed.forEach(result::setProperty);
    return result;
  }
}
