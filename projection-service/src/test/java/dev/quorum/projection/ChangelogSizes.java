package dev.quorum.projection;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.kafka.KafkaTestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a projection's changelog topics to the end and measures their records. */
final class ChangelogSizes {
  private ChangelogSizes() {}

  /** The largest record value, in bytes, on the changelogs of the given stores. */
  static int largestValue(KafkaBroker broker, String applicationId, Set<String> stores) {
    Properties props = KafkaTestClients.consumer(broker, "sizes-" + UUID.randomUUID());
    int largest = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String store : stores) {
        String topic = applicationId + "-" + store + "-changelog";
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) largest = Math.max(largest, r.value().length);
        }
      }
    }
    return largest;
  }
}
