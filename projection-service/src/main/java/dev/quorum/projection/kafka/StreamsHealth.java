package dev.quorum.projection.kafka;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Readiness of the Streams client: ready only when it runs and no state store is restoring, so that a
 * ready instance answers from complete views.
 */
public final class StreamsHealth implements StateRestoreListener {
  private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();
  private volatile KafkaStreams streams;

  /** Attaches to a client before it starts. */
  public void watch(KafkaStreams client) {
    this.streams = client;
    client.setGlobalStateRestoreListener(this);
  }

  public boolean ready() {
    KafkaStreams client = streams;
    return client != null && client.state() == KafkaStreams.State.RUNNING && restoring.isEmpty();
  }

  public String describe() {
    KafkaStreams client = streams;
    return (client == null ? "not started" : client.state().name().toLowerCase(java.util.Locale.ROOT))
        + (restoring.isEmpty() ? "" : ", restoring " + restoring.size() + " store partitions");
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    restoring.add(partition);
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {}

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    restoring.remove(partition);
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
    restoring.remove(partition);
  }
}
