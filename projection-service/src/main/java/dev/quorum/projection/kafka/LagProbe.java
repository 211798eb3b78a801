package dev.quorum.projection.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the views are behind, per input partition, from offsets: the committed events after the
 * position the views applied (the application's committed position, or what the tasks here applied past
 * it), and the age of the oldest of them. An idle projection measures 0; a stuck partition's age grows, whatever the others do.
 *
 * <p>It reads with a consumer of its own (read_committed, the application's group id to read the
 * committed positions, never subscribing nor committing), one record per partition that is behind.
 */
public final class LagProbe {
  /**
   * What one partition measured: offsets after the applied position (markers included), the oldest unapplied
   * event's age (0 if none) and its offset ({@link #NOTHING} if none, {@link #UNKNOWN} if not read in time).
   */
  public record Behind(long offsets, Duration oldest, long firstUnapplied) {
    public static final long NOTHING = Long.MAX_VALUE;
    public static final long UNKNOWN = -1;
    public static final Behind NONE = new Behind(0, Duration.ZERO, NOTHING);

    /** Whether every event before {@code offset} is applied (here, or committed): what the task found to do at its start. */
    public boolean appliedBefore(long offset) {
      return offsets == 0 || firstUnapplied >= offset;
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Clock clock;
  private final Duration pollTimeout;

  public LagProbe(Consumer<byte[], byte[]> consumer, Clock clock, Duration pollTimeout) {
    this.consumer = consumer;
    this.clock = clock;
    this.pollTimeout = pollTimeout;
  }

  /**
   * Measures the given partitions now, from the application's committed positions or, where further on,
   * the positions {@code applied} gives (what this instance's tasks applied and have not committed yet).
   */
  public Map<TopicPartition, Behind> measure(Collection<TopicPartition> partitions, Map<TopicPartition, Long> applied) {
    Map<TopicPartition, Behind> measured = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    if (partitions.isEmpty()) return measured;
    Set<TopicPartition> asked = Set.copyOf(partitions);
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(asked);
    Map<TopicPartition, Long> ends = consumer.endOffsets(asked); // the last stable offset: read_committed
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(asked);
    List<TopicPartition> behind = new ArrayList<>();
    Map<TopicPartition, Long> positions = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    for (TopicPartition partition : asked) {
      OffsetAndMetadata at = committed.get(partition);
      long position = Math.max(at != null ? at.offset() : beginnings.getOrDefault(partition, 0L),
          applied.getOrDefault(partition, 0L));
      long end = ends.getOrDefault(partition, position);
      positions.put(partition, position);
      if (end > position) behind.add(partition);
      else measured.put(partition, Behind.NONE);
    }
    if (behind.isEmpty()) return measured;
    consumer.assign(behind);
    behind.forEach(p -> consumer.seek(p, positions.get(p)));
    Instant now = clock.instant();
    Map<TopicPartition, ConsumerRecord<byte[], byte[]>> oldest = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    long deadline = System.nanoTime() + pollTimeout.toNanos();
    while (oldest.size() < behind.size() && System.nanoTime() - deadline < 0) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (oldest.putIfAbsent(partition, record) == null) consumer.pause(List.of(partition));
      }
      // a partition whose position passed its end without a record held only transaction markers
      for (TopicPartition partition : behind) {
        if (!oldest.containsKey(partition) && consumer.position(partition) >= ends.get(partition)) {
          oldest.putIfAbsent(partition, null);
        }
      }
    }
    consumer.unsubscribe();
    for (TopicPartition partition : behind) {
      ConsumerRecord<byte[], byte[]> record = oldest.get(partition);
      if (record == null && oldest.containsKey(partition)) {
        measured.put(partition, Behind.NONE); // only markers after the position
        continue;
      }
      long offsets = ends.get(partition) - positions.get(partition);
      if (record == null) { // not read in time: count it, age unknown this round
        measured.put(partition, new Behind(offsets, Duration.ZERO, Behind.UNKNOWN));
        continue;
      }
      Duration age = Duration.between(Instant.ofEpochMilli(record.timestamp()), now);
      measured.put(partition, new Behind(offsets, age.isNegative() ? Duration.ZERO : age, record.offset()));
    }
    return measured;
  }
}
