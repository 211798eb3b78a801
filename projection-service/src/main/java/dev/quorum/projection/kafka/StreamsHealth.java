package dev.quorum.projection.kafka;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Readiness of the Streams client: ready only when it runs, no state store is restoring and every task
 * that started here has caught up with what its partition held then, so that a ready instance answers
 * from complete views. It also says which store partitions are restoring, so that
 * a read of one answers "try again" instead of from a partial store.
 */
public final class StreamsHealth implements StateRestoreListener {
  private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();
  private final Set<String> restoringStores = ConcurrentHashMap.newKeySet();
  private final CatchUpGate catchUp = new CatchUpGate();
  private volatile KafkaStreams streams;

  /** Attaches to a client before it starts. */
  public void watch(KafkaStreams client) {
    this.streams = client;
    client.setGlobalStateRestoreListener(this);
  }

  /** Running, no store restoring, and every partition that started here caught up ({@link CatchUpGate}). */
  public boolean ready() {
    KafkaStreams client = streams;
    return client != null && client.state() == KafkaStreams.State.RUNNING && restoring.isEmpty() && catchUp.complete();
  }

  /** Which partitions have caught up since their tasks started here. */
  public CatchUpGate catchUp() {
    return catchUp;
  }

  /**
   * Why no view can be read now, or empty when the client runs or rebalances (each store partition then
   * says for itself): not started, failed or shutting down.
   */
  public Optional<String> notServing() {
    KafkaStreams client = streams;
    if (client == null) return Optional.of("the stream client is not started");
    KafkaStreams.State state = client.state();
    if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) return Optional.empty();
    return Optional.of("the stream client is " + state.name().toLowerCase(Locale.ROOT));
  }

  /** True while partition {@code partition} of store {@code store} is being restored here. */
  public boolean restoring(String store, int partition) {
    return restoringStores.contains(store + "/" + partition);
  }

  public String describe() {
    KafkaStreams client = streams;
    int waiting = catchUp.waiting();
    return (client == null ? "not started" : client.state().name().toLowerCase(Locale.ROOT))
        + (restoring.isEmpty() ? "" : ", restoring " + restoring.size() + " store partitions")
        + (waiting == 0 ? "" : ", " + waiting + " partitions catching up");
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    restoring.add(partition);
    restoringStores.add(storeName + "/" + partition.partition());
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {}

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    restoring.remove(partition);
    restoringStores.remove(storeName + "/" + partition.partition());
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
    restoring.remove(partition);
    restoringStores.remove(storeName + "/" + partition.partition());
  }
}
