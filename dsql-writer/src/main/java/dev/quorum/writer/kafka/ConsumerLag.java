package dev.quorum.writer.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's consumer lag, computed from the broker rather than from the consumer's fetches: a
 * paused consumer fetches nothing, yet its lag is what an operator needs to see while the database
 * is down.
 *
 * <p>Lag of a partition = its last stable offset (what read_committed readers can reach) minus the
 * group's committed offset (its log start when nothing is committed yet); refreshed on a daemon thread.
 */
final class ConsumerLag implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
  private static final long TIMEOUT_SECONDS = 10;

  private final Admin admin;
  private final String groupId;
  private final Supplier<Set<TopicPartition>> partitions;
  private final ScheduledExecutorService refresher;
  private volatile long value = -1;

  ConsumerLag(Properties adminProperties, String groupId, Supplier<Set<TopicPartition>> partitions, Duration every) {
    this.admin = Admin.create(adminProperties);
    this.groupId = groupId;
    this.partitions = partitions;
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "dsql-writer-lag-" + groupId);
      thread.setDaemon(true);
      return thread;
    });
    refresher.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last computed lag over the partitions, -1 before the first refresh. */
  long value() {
    return value;
  }

  private void refresh() {
    try {
      Set<TopicPartition> owned = partitions.get();
      if (owned.isEmpty()) {
        value = 0;
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, Long> ends = offsets(owned, OffsetSpec.latest());
      Map<TopicPartition, OffsetSpec> uncommitted = new HashMap<>();
      for (TopicPartition partition : owned) {
        if (committed == null || committed.get(partition) == null) uncommitted.put(partition, OffsetSpec.earliest());
      }
      Map<TopicPartition, Long> starts = uncommitted.isEmpty() ? Map.of() : offsets(uncommitted);
      long total = 0;
      for (TopicPartition partition : owned) {
        Long end = ends.get(partition);
        if (end == null) continue;
        OffsetAndMetadata offset = committed == null ? null : committed.get(partition);
        long from = offset != null ? offset.offset() : starts.getOrDefault(partition, 0L);
        total += Math.max(0, end - from);
      }
      value = total;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A broker that cannot answer now leaves the last value; the next refresh tries again.
      LOG.debug("consumer lag of {} not refreshed: {}", groupId, e.toString());
    }
  }

  private Map<TopicPartition, Long> offsets(Set<TopicPartition> owned, OffsetSpec spec) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicPartition partition : owned) request.put(partition, spec);
    return offsets(request);
  }

  private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> request) throws Exception {
    Map<TopicPartition, ListOffsetsResultInfo> infos = admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, Long> result = new HashMap<>();
    infos.forEach((partition, info) -> result.put(partition, info.offset()));
    return result;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
