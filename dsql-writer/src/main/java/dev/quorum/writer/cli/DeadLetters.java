package dev.quorum.writer.cli;

import dev.quorum.event.Topics.DlqHeaders;
import dev.quorum.event.codec.EventCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic from its beginning to its last stable offset (read_committed: only what
 * the writer's committed transactions put there), reporting progress on a long scan.
 */
final class DeadLetters {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(500);

  /** One dead letter and what its headers and value say. */
  record Entry(ConsumerRecord<byte[], byte[]> record, String reason, String eventId) {
    /** Where it is on the dead-letter topic, {@code partition@offset}, as {@code show} takes it. */
    String position() {
      return record.partition() + "@" + record.offset();
    }

    String header(String name) {
      Header header = record.headers().lastHeader(name);
      return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Where the writer read it: {@code topic-partition@offset}. */
    String original() {
      return header(DlqHeaders.ORIGINAL_TOPIC) + "-" + header(DlqHeaders.ORIGINAL_PARTITION) + "@"
          + header(DlqHeaders.ORIGINAL_OFFSET);
    }

    static Entry of(ConsumerRecord<byte[], byte[]> record) {
      Header reason = record.headers().lastHeader(DlqHeaders.ERROR_REASON);
      return new Entry(record, reason == null ? "unknown" : new String(reason.value(), StandardCharsets.UTF_8),
          eventId(record.value()));
    }

    /** The CloudEvents id of the value when it has one, whatever else is wrong with it. */
    private static String eventId(byte[] value) {
      if (value == null) return null;
      try {
        var id = EventCodec.parse(value).get("id");
        return id != null && id.isTextual() ? id.asText() : null;
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  private final Properties consumerProperties;
  private final String topic;
  private final PrintWriter progress;

  DeadLetters(String bootstrapServers, Map<String, String> clientProperties, String topic, PrintWriter progress) {
    this.topic = topic;
    this.progress = progress;
    consumerProperties = new Properties();
    consumerProperties.putAll(clientProperties);
    consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
  }

  /**
   * Hands every dead letter that {@code filter} accepts to {@code visitor}, in partition and offset
   * order per partition, until the visitor returns false or the scan reaches the end.
   *
   * @return how many records were scanned
   */
  long scan(Predicate<Entry> filter, Predicate<Entry> visitor) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties)) {
      var infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " does not exist");
      List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // A group-less, read_committed consumer: its end offsets are the last stable offsets.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
      long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
      long scanned = 0;
      long lastReport = System.nanoTime();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) continue;
          scanned++;
          Entry entry = Entry.of(record);
          if (filter.test(entry) && !visitor.test(entry)) return scanned;
        }
        if (System.nanoTime() - lastReport > PROGRESS_EVERY.toNanos()) {
          progress.printf("dlq: scanned %,d of %,d records of %s%n", scanned, total, topic);
          progress.flush();
          lastReport = System.nanoTime();
        }
      }
      return scanned;
    }
  }
}
