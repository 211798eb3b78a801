package dev.quorum.projection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.projection.kafka.CatchUpGate.Key;
import dev.quorum.projection.kafka.CatchUpGate.Views;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatchUpGateTest {
  private static final TopicPartition COMMITTED_0 = new TopicPartition("quorum.events.committed.v1", 0);
  private static final TopicPartition MERGED_0 = new TopicPartition("app-merged-signals-repartition", 0);
  private static final TopicPartition BUCKETS_0 = new TopicPartition("app-samples-by-bucket-repartition", 0);
  private static final Key INCIDENTS = new Key(Views.INCIDENTS, 0);
  private static final Key BUCKETS = new Key(Views.BUCKETS, 0);
  private static final Map<Key, Set<TopicPartition>> BOTH =
      Map.of(INCIDENTS, Set.of(COMMITTED_0, MERGED_0), BUCKETS, Set.of(BUCKETS_0));

  private final CatchUpGate gate = new CatchUpGate();
  /** The partitions' ends (read_committed) and the first event each task has not applied and committed yet. */
  private final Map<TopicPartition, Long> ends = new HashMap<>();
  private final Map<TopicPartition, Long> firstUnapplied = new HashMap<>();

  private final Set<TopicPartition> left = new HashSet<>();
  /** How many times each partition's task started here. */
  private final Map<Key, Integer> starts = new HashMap<>();

  private boolean round(Map<Key, Set<TopicPartition>> found) {
    return gate.round(found, new CatchUpGate.Inputs() {
      @Override
      public Map<TopicPartition, Long> ends(Set<TopicPartition> asked) {
        Map<TopicPartition, Long> answer = new HashMap<>(ends);
        answer.keySet().retainAll(asked);
        return answer;
      }

      @Override
      public Map<TopicPartition, LagProbe.Behind> measure(Set<TopicPartition> asked) {
        Map<TopicPartition, LagProbe.Behind> answer = new HashMap<>();
        for (TopicPartition partition : asked) {
          long first = firstUnapplied.getOrDefault(partition, LagProbe.Behind.NOTHING);
          answer.put(partition, first == LagProbe.Behind.NOTHING ? LagProbe.Behind.NONE
              : new LagProbe.Behind(ends.get(partition) - first, Duration.ofSeconds(1), first));
        }
        return answer;
      }

      @Override
      public void left(Set<TopicPartition> partitions) {
        left.addAll(partitions);
      }
    });
  }

  @Test
  void everything_is_served_until_a_watcher_runs_rounds() {
    assertThat(gate.serves(Views.INCIDENTS, 0)).isTrue();
    assertThat(gate.complete()).isTrue();
  }

  @Test
  void a_partition_that_started_here_waits_until_what_it_held_then_is_applied_even_while_more_comes() {
    // Given: the previous owner applied (and showed) events up to offset 120, and committed up to 100
    gate.enable(key -> starts.getOrDefault(key, 0));
    ends.putAll(Map.of(COMMITTED_0, 120L, MERGED_0, 0L, BUCKETS_0, 40L));
    firstUnapplied.putAll(Map.of(COMMITTED_0, 100L, BUCKETS_0, 30L));

    // Then: before the first round and after it, nothing is served
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();
    assertThat(round(BOTH)).isTrue();
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();
    assertThat(gate.serves(Views.BUCKETS, 0)).isFalse();
    assertThat(gate.complete()).isFalse();
    assertThat(gate.waiting()).isEqualTo(2);

    // When: the buckets catch up, and the incidents get to 119 while new events arrive
    firstUnapplied.remove(BUCKETS_0);
    ends.put(COMMITTED_0, 500L);
    firstUnapplied.put(COMMITTED_0, 119L);
    assertThat(round(BOTH)).isTrue();

    // Then: the buckets are served, the incidents still wait for offset 119
    assertThat(gate.serves(Views.BUCKETS, 0)).isTrue();
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();

    // When: offset 119 is applied, though the end moved on (the target is the end at the start)
    firstUnapplied.put(COMMITTED_0, 120L);
    assertThat(round(BOTH)).isFalse();

    // Then
    assertThat(gate.serves(Views.INCIDENTS, 0)).isTrue();
    assertThat(gate.complete()).isTrue();
    assertThat(gate.waiting()).isZero();
  }

  @Test
  void a_partition_whose_task_starts_again_here_closes_at_once_and_waits_for_a_new_target() {
    // Given: an open partition
    gate.enable(key -> starts.getOrDefault(key, 0));
    ends.putAll(Map.of(COMMITTED_0, 10L, MERGED_0, 0L, BUCKETS_0, 0L));
    starts.put(INCIDENTS, 1);
    round(BOTH);
    assertThat(gate.serves(Views.INCIDENTS, 0)).isTrue();

    // When: its task starts again without leaving (a replaced stream thread), its state as last committed
    starts.put(INCIDENTS, 2);

    // Then: closed before any round
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();
    assertThat(gate.complete()).isFalse();
    assertThat(gate.serves(Views.BUCKETS, 0)).isTrue();

    // When: the next round finds what it must apply again, and a later one finds it applied
    ends.put(COMMITTED_0, 14L);
    firstUnapplied.put(COMMITTED_0, 8L);
    assertThat(round(BOTH)).isTrue();
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();
    firstUnapplied.remove(COMMITTED_0);
    assertThat(round(BOTH)).isFalse();

    // Then
    assertThat(gate.serves(Views.INCIDENTS, 0)).isTrue();
  }

  @Test
  void a_partition_that_leaves_and_comes_back_waits_again_and_an_unknown_measurement_keeps_it_waiting() {
    gate.enable(key -> starts.getOrDefault(key, 0));
    ends.putAll(Map.of(COMMITTED_0, 10L, MERGED_0, 0L, BUCKETS_0, 0L));
    round(BOTH);
    assertThat(gate.serves(Views.INCIDENTS, 0)).isTrue();

    // When: the partition moves away, and comes back with events its other owner applied and did not commit
    round(Map.of(BUCKETS, Set.of(BUCKETS_0)));
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();
    assertThat(left).describedAs("what its task applied here is forgotten").containsOnly(COMMITTED_0, MERGED_0);
    ends.put(COMMITTED_0, 20L);
    firstUnapplied.put(COMMITTED_0, 15L);
    round(BOTH);

    // Then
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();

    // When: the first unapplied event could not be read in time
    firstUnapplied.put(COMMITTED_0, LagProbe.Behind.UNKNOWN);
    assertThat(round(BOTH)).isTrue();

    // Then: it still waits
    assertThat(gate.serves(Views.INCIDENTS, 0)).isFalse();
  }
}
