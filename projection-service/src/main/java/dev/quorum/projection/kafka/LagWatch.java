package dev.quorum.projection.kafka;

import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link LagProbe} every few seconds over the input partitions whose active tasks run here, and
 * the {@link CatchUpGate}'s rounds more often.
 */
public final class LagWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LagWatch.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "projection-lag-probe");
    thread.setDaemon(true);
    return thread;
  });
  /** How often a round looks for partitions that started here, and how soon it comes back while one catches up. */
  static final Duration DISCOVERY_ROUND = Duration.ofMillis(500);
  static final Duration CATCH_UP_ROUND = Duration.ofMillis(200);

  private boolean closed;
  private final Set<String> inputs;
  /** The latest measurement and when it began, or null before the first. */
  private volatile Measured last;

  private record Measured(Instant began, Map<TopicPartition, LagProbe.Behind> behind) {}

  private LagWatch(KafkaConsumer<byte[], byte[]> consumer, Set<String> inputs) {
    this.consumer = consumer;
    this.inputs = inputs;
  }

  /**
   * When the latest measurement began, if it found this partition of every input topic (this region's,
   * the mirrored ones, the rebuild's) applied here to its end: every event published to them before that
   * instant is in this instance's views. Null otherwise (not measured, behind, or not run here).
   */
  public Instant caughtUp(int partition) {
    Measured measured = last;
    if (measured == null) return null;
    for (String topic : inputs) {
      LagProbe.Behind behind = measured.behind().get(new TopicPartition(topic, partition));
      if (behind == null || behind.offsets() > 0) return null;
    }
    return measured.began();
  }

  /**
   * Starts measuring every {@code interval}, and opens the {@code gate}'s partitions as they catch up: while a
   * partition is found here and not open yet, rounds come every {@link #CATCH_UP_ROUND}.
   */
  public static LagWatch start(String bootstrapServers, String applicationId, TopicNames topics, KafkaStreams streams,
      ProjectionMetrics metrics, Duration interval, CatchUpGate gate) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // the application's group id reads its committed positions; this consumer never joins nor commits
    props.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-lag-probe");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    LagWatch watch = new LagWatch(consumer, Set.copyOf(topics.sources()));
    Clock clock = Clock.systemUTC();
    LagProbe probe = new LagProbe(consumer, clock, Duration.ofSeconds(2));
    Inputs inputs = new Inputs(topics, applicationId);
    gate.enable(key -> key.views() == CatchUpGate.Views.INCIDENTS ? metrics.starts(key.partition()) : 0);
    metrics.watch(gate);
    watch.scheduler.execute(new Runnable() {
      private long nextMeasurement = System.nanoTime();

      @Override
      public void run() {
        boolean waiting = false;
        try {
          KafkaStreams.State state = streams.state();
          if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
            waiting = gate.round(inputs.active(streams), new CatchUpGate.Inputs() {
              @Override
              public Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) {
                return consumer.endOffsets(partitions);
              }

              @Override
              public Map<TopicPartition, LagProbe.Behind> measure(Set<TopicPartition> partitions) {
                return probe.measure(partitions, metrics.appliedPositions(partitions));
              }

              @Override
              public void left(Set<TopicPartition> partitions) {
                metrics.left(partitions);
              }
            });
          }
          if (System.nanoTime() - nextMeasurement >= 0) {
            nextMeasurement = System.nanoTime() + interval.toNanos();
            watch.measure(streams, probe, metrics, clock);
          }
        } catch (RuntimeException e) {
          watch.last = null;
          LOG.warn("could not measure the projection's lag: {}", e.toString());
        }
        try {
          watch.scheduler.schedule(this, waiting ? CATCH_UP_ROUND.toMillis()
              : Math.min(interval.toMillis(), DISCOVERY_ROUND.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          // closed meanwhile
        }
      }
    });
    return watch;
  }

  /** One measurement of the input partitions whose active tasks run here, for the meters and {@link #caughtUp}. */
  private void measure(KafkaStreams streams, LagProbe probe, ProjectionMetrics metrics, Clock clock) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      last = null;
      return;
    }
    Instant began = clock.instant();
    Set<TopicPartition> local = new HashSet<>();
    streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
        task.topicPartitions().stream().filter(p -> inputs.contains(p.topic())).forEach(local::add)));
    // from what the tasks here applied, where that is past their last commit: that is what the views hold
    Map<TopicPartition, LagProbe.Behind> measured = probe.measure(local, metrics.appliedPositions(local));
    metrics.behind(measured);
    last = new Measured(began, Map.copyOf(measured));
  }

  /** The input topics of each kind of views, and the partitions of them whose active tasks run here. */
  private record Inputs(Set<String> incidents, String buckets) {
    Inputs(TopicNames topics, String applicationId) {
      this(incidentInputs(topics, applicationId), ProjectionTopology.bucketRepartitionTopic(applicationId));
    }

    private static Set<String> incidentInputs(TopicNames topics, String applicationId) {
      Set<String> all = new HashSet<>(topics.sources());
      all.add(ProjectionTopology.mergedSignalsRepartitionTopic(applicationId));
      return Set.copyOf(all);
    }

    Map<CatchUpGate.Key, Set<TopicPartition>> active(KafkaStreams streams) {
      Map<CatchUpGate.Key, Set<TopicPartition>> found = new HashMap<>();
      streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> {
        for (TopicPartition input : task.topicPartitions()) {
          CatchUpGate.Views views = incidents.contains(input.topic()) ? CatchUpGate.Views.INCIDENTS
              : buckets.equals(input.topic()) ? CatchUpGate.Views.BUCKETS : null;
          if (views == null) continue;
          found.computeIfAbsent(new CatchUpGate.Key(views, input.partition()), k -> new HashSet<>()).add(input);
        }
      }));
      return found;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
