package dev.quorum.projection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LagProbeTest {
  private static final Instant NOW = Instant.parse("2026-06-15T03:00:00Z");
  private static final TopicPartition IDLE = new TopicPartition("quorum.events.committed.v1", 0);
  private static final TopicPartition STUCK = new TopicPartition("quorum.events.committed.v1", 1);

  /** The application's committed positions, as the group coordinator answers them (the mock's own answer 0). */
  private static final class GroupConsumer extends MockConsumer<byte[], byte[]> {
    final Map<TopicPartition, OffsetAndMetadata> positions = new java.util.HashMap<>();

    GroupConsumer() {
      super("earliest");
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndMetadata> committed(java.util.Set<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> answer = new java.util.HashMap<>(positions);
      answer.keySet().retainAll(partitions);
      return answer;
    }
  }

  private final GroupConsumer consumer = new GroupConsumer();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final LagProbe probe = new LagProbe(consumer, clock, Duration.ofSeconds(5));

  @Test
  void an_idle_partition_is_not_behind_and_a_stuck_one_reports_its_oldest_unapplied_event() {
    // Given: partition 0 applied to its end; partition 1 applied up to offset 5 of 10, offset 5 appended 7 minutes ago
    consumer.updateBeginningOffsets(Map.of(IDLE, 0L, STUCK, 0L));
    consumer.updateEndOffsets(Map.of(IDLE, 10L, STUCK, 10L));
    consumer.positions.putAll(Map.of(IDLE, new OffsetAndMetadata(10), STUCK, new OffsetAndMetadata(5)));
    consumer.schedulePollTask(() -> consumer.addRecord(record(STUCK, 5, NOW.minus(Duration.ofMinutes(7)))));

    // When
    Map<TopicPartition, LagProbe.Behind> measured = probe.measure(java.util.List.of(IDLE, STUCK), Map.of());

    // Then
    assertThat(measured.get(IDLE)).isEqualTo(LagProbe.Behind.NONE);
    assertThat(measured.get(STUCK)).isEqualTo(new LagProbe.Behind(5, Duration.ofMinutes(7), 5));
  }

  @Test
  void what_a_task_here_applied_and_has_not_committed_yet_counts_as_applied() {
    // Given: partition 1 committed up to offset 5 of 10, and its task here applied up to offset 8
    consumer.updateBeginningOffsets(Map.of(STUCK, 0L));
    consumer.updateEndOffsets(Map.of(STUCK, 10L));
    consumer.positions.put(STUCK, new OffsetAndMetadata(5));
    consumer.schedulePollTask(() -> {
      consumer.addRecord(record(STUCK, 8, NOW.minus(Duration.ofSeconds(2))));
      consumer.addRecord(record(STUCK, 9, NOW.minus(Duration.ofSeconds(1))));
    });

    // When
    LagProbe.Behind measured = probe.measure(java.util.List.of(STUCK), Map.of(STUCK, 8L)).get(STUCK);

    // Then: the first event not applied is offset 8
    assertThat(measured).isEqualTo(new LagProbe.Behind(2, Duration.ofSeconds(2), 8));
    assertThat(measured.appliedBefore(8)).isTrue();
    assertThat(measured.appliedBefore(9)).isFalse();
  }

  @Test
  void the_end_to_end_lag_is_the_oldest_unapplied_age_and_stays_at_zero_while_idle() {
    // Given: the views applied an event an hour ago and nothing came since
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProjectionMetrics metrics = new ProjectionMetrics(registry, clock);
    metrics.behind(Map.of(IDLE, LagProbe.Behind.NONE, STUCK, LagProbe.Behind.NONE));

    // Then: caught up is 0, however long ago the last event was
    assertThat(registry.get("quorum.projection.end.to.end.lag").gauge().value()).isZero();

    // When: one partition stops applying
    metrics.behind(Map.of(IDLE, LagProbe.Behind.NONE, STUCK, new LagProbe.Behind(3, Duration.ofSeconds(90), 7)));

    // Then: the stuck partition shows, on its own meters too
    assertThat(registry.get("quorum.projection.end.to.end.lag").gauge().value()).isEqualTo(90.0);
    assertThat(registry.get("quorum.projection.partition.oldest.unapplied").tag("partition", "1").gauge().value())
        .isEqualTo(90.0);
    assertThat(registry.get("quorum.projection.partition.lag").tag("partition", "1").gauge().value()).isEqualTo(3.0);

    // When: the partition moves to another instance, its meters go
    metrics.behind(Map.of(IDLE, LagProbe.Behind.NONE));
    assertThat(registry.find("quorum.projection.partition.lag").tag("partition", "1").gauge()).isNull();
  }

  private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, Instant appended) {
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, appended.toEpochMilli(),
        TimestampType.LOG_APPEND_TIME, 0, 0, new byte[0], new byte[0], new RecordHeaders(), Optional.empty());
  }
}
