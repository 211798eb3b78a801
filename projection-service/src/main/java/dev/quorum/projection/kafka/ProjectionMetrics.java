package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.projection.domain.Projector.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import io.micrometer.core.instrument.Meter;
import org.apache.kafka.common.TopicPartition;

/**
 * The projection's meters, including how far the views are behind, per input partition, from offsets
 * ({@link LagProbe}): the end-to-end lag is the age of the oldest committed event not applied yet.
 */
public final class ProjectionMetrics {
  private final Clock clock;
  private final MeterRegistry registry;
  private final Map<TopicPartition, LagProbe.Behind> behind = new ConcurrentHashMap<>();
  private final Map<TopicPartition, List<Meter>> partitionMeters = new ConcurrentHashMap<>();
  private volatile boolean measured;
  /** Per input partition of the incident views' tasks here: the position after the last record they applied. */
  private final Map<TopicPartition, AtomicLong> applied = new ConcurrentHashMap<>();
  /** Per partition, how many times a task of the incident views started here. */
  private final Map<Integer, java.util.concurrent.atomic.AtomicInteger> starts = new ConcurrentHashMap<>();
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Counter skipped;
  private final Counter refused;
  private final Timer applyLag;

  public ProjectionMetrics(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.registry = registry;
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome, Counter.builder("quorum.projection.events")
          .description("Committed events by what the projection did with them")
          .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
    skipped = Counter.builder("quorum.projection.events")
        .description("Committed events by what the projection did with them")
        .tag("outcome", "skipped")
        .register(registry);
    refused = Counter.builder("quorum.projection.events")
        .description("Committed events by what the projection did with them")
        .tag("outcome", "refused")
        .register(registry);
    applyLag = Timer.builder("quorum.projection.apply.lag")
        .description("From the storing statement to the projection applying the event")
        .publishPercentileHistogram()
        .register(registry);
    Gauge.builder("quorum.projection.end.to.end.lag", this, ProjectionMetrics::endToEndLagSeconds)
        .description("Age of the oldest committed event this instance's partitions have not applied yet: 0 when"
            + " caught up, NaN before the first measurement")
        .baseUnit("seconds")
        .register(registry);
  }

  public void projected(Event event, Outcome outcome) {
    outcomes.get(outcome).increment();
    if (outcome == Outcome.DUPLICATE) return;
    Instant recordedAt = event.stored().recordedAt();
    applyLag.record(Duration.between(recordedAt, clock.instant()).isNegative()
        ? Duration.ZERO : Duration.between(recordedAt, clock.instant()));
  }

  /** A record that is not a stored event keyed by its incident: logged and left behind. */
  public void skipped() {
    skipped.increment();
  }

  /** A stored event the views cannot take (its state value would exceed the limit): logged with its id. */
  public void refused() {
    refused.increment();
  }

  /**
   * A task of the incident views here applied (or left behind, if it could not be applied) this record: with
   * exactly-once, not durable before the task's next commit, but already in its views.
   */
  public void applied(java.util.Optional<org.apache.kafka.streams.processor.api.RecordMetadata> record) {
    if (record.isEmpty()) return;
    org.apache.kafka.streams.processor.api.RecordMetadata at = record.get();
    applied.computeIfAbsent(new TopicPartition(at.topic(), at.partition()), p -> new AtomicLong()).set(at.offset() + 1);
  }

  /** A task of the incident views started on {@code partition}: what an earlier one applied here is no guide. */
  public void started(int partition) {
    applied.keySet().removeIf(p -> p.partition() == partition);
    starts.computeIfAbsent(partition, p -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
  }

  /** Shows how many partitions started here and have not caught up yet ({@link CatchUpGate}). */
  public void watch(CatchUpGate gate) {
    Gauge.builder("quorum.projection.partitions.catching.up", gate, CatchUpGate::waiting)
        .description("Partitions whose tasks started here and have not applied what their inputs held then: they answer 503")
        .register(registry);
  }

  /** How many times a task of the incident views started on {@code partition} here. */
  public int starts(int partition) {
    java.util.concurrent.atomic.AtomicInteger count = starts.get(partition);
    return count == null ? 0 : count.get();
  }

  /** The given input partitions' tasks moved away: what they applied here is no guide if they come back. */
  public void left(Collection<TopicPartition> partitions) {
    applied.keySet().removeAll(partitions);
  }

  /** The position after the last record the tasks here applied, of those of the given partitions they applied any of. */
  public Map<TopicPartition, Long> appliedPositions(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new java.util.HashMap<>();
    for (TopicPartition partition : partitions) {
      AtomicLong position = applied.get(partition);
      if (position != null) positions.put(partition, position.get());
    }
    return positions;
  }

  /** What the probe measured for the partitions this instance runs now; the others' meters go. */
  public void behind(Map<TopicPartition, LagProbe.Behind> now) {
    for (TopicPartition gone : List.copyOf(behind.keySet())) {
      if (now.containsKey(gone)) continue;
      behind.remove(gone);
      List<Meter> meters = partitionMeters.remove(gone);
      if (meters != null) meters.forEach(registry::remove);
    }
    now.forEach((partition, measuredNow) -> {
      behind.put(partition, measuredNow);
      partitionMeters.computeIfAbsent(partition, p -> List.of(
          Gauge.builder("quorum.projection.partition.lag", behind, b -> offsets(b.get(p)))
              .description("Committed offsets after the position the views applied, per input partition")
              .tag("topic", p.topic()).tag("partition", Integer.toString(p.partition()))
              .register(registry),
          Gauge.builder("quorum.projection.partition.oldest.unapplied", behind, b -> seconds(b.get(p)))
              .description("Age of the oldest committed event of the partition the views have not applied (0 if none)")
              .baseUnit("seconds")
              .tag("topic", p.topic()).tag("partition", Integer.toString(p.partition()))
              .register(registry)));
    });
    measured = true;
  }

  private static double offsets(LagProbe.Behind b) {
    return b == null ? Double.NaN : b.offsets();
  }

  private static double seconds(LagProbe.Behind b) {
    return b == null ? Double.NaN : b.oldest().toNanos() / 1e9;
  }

  /**
   * A committed event of another region read here from its mirrored topic: the time from its committed
   * record's timestamp (the other region's writer, kept by MirrorMaker) to now, per source topic.
   */
  public void mirrored(String topic, long recordTimestamp) {
    long millis = clock.millis() - recordTimestamp;
    Timer.builder("quorum.projection.replication.lag")
        .description("From a committed record in another region to this region's projection reading its mirrored copy")
        .tag("topic", topic)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, millis)));
  }

  public double endToEndLagSeconds() {
    if (!measured) return Double.NaN;
    return behind.values().stream().mapToDouble(ProjectionMetrics::seconds).max().orElse(0);
  }
}
