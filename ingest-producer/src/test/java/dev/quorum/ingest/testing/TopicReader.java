package dev.quorum.ingest.testing;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.kafka.KafkaTestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what a topic holds, for assertions: end offsets, and every record up to them. */
public final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;

  public TopicReader(KafkaBroker broker, String topic) {
    Properties p = KafkaTestClients.consumer(broker, "reader-" + UUID.randomUUID());
    p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.topic = topic;
  }

  public List<TopicPartition> partitions() {
    return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
  }

  /** The number of records ever written to the topic: the sum of its end offsets. */
  public long endOffsetSum() {
    return consumer.endOffsets(partitions(), Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every record from the beginning up to the current end offsets. */
  public List<ConsumerRecord<String, byte[]>> readAll() {
    List<TopicPartition> partitions = partitions();
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      if (System.nanoTime() > deadline) throw new AssertionError("could not read " + topic + " up to " + end);
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
