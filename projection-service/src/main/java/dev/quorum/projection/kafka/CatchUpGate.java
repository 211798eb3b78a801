package dev.quorum.projection.kafka;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions of the views this instance serves whole. A task that starts here (at start-up, or taking
 * a partition over from an instance that left or died) has restored only what its previous owner
 * committed; the previous owner may have applied, and shown, more. Until the task has applied its input up
 * to the end it found when it started, a partition would answer 404 for an incident a reader saw a moment
 * before, or a list with fewer items: it answers 503 instead, as while its stores restore.
 *
 * <p>Rounds run on the {@link LagWatch}'s thread: a partition that appears among this instance's active
 * tasks gets its target (the end offsets of its inputs then, read_committed), and opens once every event
 * before the target is applied (applied here, or committed). A partition that leaves is forgotten; if it
 * comes back, it waits again. So does one whose task starts again here without leaving (a stream thread
 * replaced after a failure, a task re-created after a corrupted state): the incident views' processors
 * count their starts ({@code ProjectionMetrics#started}), and a count that moved closes the partition at
 * once, before the next round gives it a new target.
 */
public final class CatchUpGate {
  private static final Logger LOG = LoggerFactory.getLogger(CatchUpGate.class);

  /** The views a gate covers: the incident views and the analytics buckets are separate tasks. */
  public enum Views {
    INCIDENTS, BUCKETS
  }

  /** One partition of one kind of views. */
  public record Key(Views views, int partition) {}

  /** The open partitions, each with the count of its task's starts when it got its target. */
  private final Map<Key, Integer> open = new ConcurrentHashMap<>();
  private final Map<Key, Map<TopicPartition, Long>> targets = new HashMap<>();
  private final Map<Key, Integer> targetStarts = new HashMap<>();
  private volatile ToIntFunction<Key> starts = key -> 0;
  /** What the latest round found here: each partition's input partitions. */
  private volatile Map<Key, Set<TopicPartition>> local = Map.of();
  private volatile boolean enabled;

  /** Whether the partition may be read here: always, until a watcher runs rounds. */
  public boolean serves(Views views, int partition) {
    return !enabled || served(new Key(views, partition));
  }

  private boolean served(Key key) {
    Integer startsThen = open.get(key);
    return startsThen != null && startsThen == starts.applyAsInt(key);
  }

  /** Whether every partition that the latest round found here is open. */
  public boolean complete() {
    return waiting() == 0;
  }

  /** The partitions found here and still catching up, for a readiness answer. */
  public int waiting() {
    if (!enabled) return 0;
    int waiting = 0;
    for (Key key : local.keySet()) if (!served(key)) waiting++;
    return waiting;
  }

  /**
   * From now on, only what a round opened is served; {@code taskStarts} counts the starts of each
   * partition's task here.
   */
  void enable(ToIntFunction<Key> taskStarts) {
    this.starts = taskStarts;
    enabled = true;
  }

  /** What a round asks of the cluster and the tasks. */
  interface Inputs {
    /** The end offsets (read_committed) of the given input partitions now. */
    Map<TopicPartition, Long> ends(Set<TopicPartition> partitions);

    /** How far the tasks here applied each of the given input partitions. */
    Map<TopicPartition, LagProbe.Behind> measure(Set<TopicPartition> partitions);

    /** The partitions' tasks no longer run here. */
    void left(Set<TopicPartition> partitions);
  }

  /**
   * One round: {@code found} is each partition active here now with its input partitions. Returns whether
   * some partition still waits (the watcher then comes back soon).
   */
  synchronized boolean round(Map<Key, Set<TopicPartition>> found, Inputs inputs) {
    Set<TopicPartition> left = new HashSet<>();
    local.forEach((key, partitions) -> {
      if (!found.containsKey(key)) left.addAll(partitions);
    });
    open.keySet().retainAll(found.keySet());
    targets.keySet().retainAll(found.keySet());
    // a task that started again since its partition got its target: what it shows may go back again
    open.entrySet().removeIf(entry -> entry.getValue() != starts.applyAsInt(entry.getKey()));
    targets.keySet().removeIf(key -> targetStarts.get(key) != starts.applyAsInt(key));
    targetStarts.keySet().retainAll(targets.keySet());
    Set<TopicPartition> started = new HashSet<>();
    found.forEach((key, partitions) -> {
      if (!open.containsKey(key) && !targets.containsKey(key)) started.addAll(partitions);
    });
    if (!started.isEmpty()) {
      Map<TopicPartition, Long> end = inputs.ends(started);
      found.forEach((key, partitions) -> {
        if (open.containsKey(key) || targets.containsKey(key)) return;
        Map<TopicPartition, Long> target = new HashMap<>();
        for (TopicPartition input : partitions) target.put(input, end.getOrDefault(input, 0L));
        targets.put(key, target);
        targetStarts.put(key, starts.applyAsInt(key));
        LOG.info("partition {} of the {} views started here: served once its inputs are applied up to {}",
            key.partition(), key.views().name().toLowerCase(java.util.Locale.ROOT), target);
      });
    }
    local = Map.copyOf(found);
    if (!left.isEmpty()) inputs.left(left);
    if (targets.isEmpty()) return false;
    Set<TopicPartition> waiting = new HashSet<>();
    targets.values().forEach(target -> waiting.addAll(target.keySet()));
    Map<TopicPartition, LagProbe.Behind> measured = inputs.measure(waiting);
    targets.entrySet().removeIf(entry -> {
      boolean applied = entry.getValue().entrySet().stream().allMatch(target -> {
        LagProbe.Behind behind = measured.get(target.getKey());
        return behind != null && behind.appliedBefore(target.getValue());
      });
      if (applied) {
        open.put(entry.getKey(), targetStarts.remove(entry.getKey()));
        LOG.info("partition {} of the {} views caught up: served", entry.getKey().partition(),
            entry.getKey().views().name().toLowerCase(java.util.Locale.ROOT));
      } else {
        LOG.debug("partition {} still catching up: {}", entry.getKey(), measured);
      }
      return applied;
    });
    return !targets.isEmpty();
  }
}
