package dev.quorum.projection.kafka;

import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** Runs the {@link LagProbe} every few seconds over the input partitions whose active tasks run here. */
public final class LagWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LagWatch.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "projection-lag-probe");
    thread.setDaemon(true);
    return thread;
  });
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

  public static LagWatch start(String bootstrapServers, String applicationId, TopicNames topics, KafkaStreams streams,
      ProjectionMetrics metrics, Duration interval) {
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
    Set<String> inputs = Set.copyOf(topics.sources());
    LagWatch watch = new LagWatch(consumer, inputs);
    Clock clock = Clock.systemUTC();
    LagProbe probe = new LagProbe(consumer, clock, Duration.ofSeconds(2));
    watch.scheduler.scheduleWithFixedDelay(() -> {
      try {
        if (streams.state() != KafkaStreams.State.RUNNING) {
          watch.last = null;
          return;
        }
        Instant began = clock.instant();
        Set<TopicPartition> local = new HashSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
            task.topicPartitions().stream().filter(p -> inputs.contains(p.topic())).forEach(local::add)));
        Map<TopicPartition, LagProbe.Behind> measured = probe.measure(local);
        metrics.behind(measured);
        watch.last = new Measured(began, Map.copyOf(measured));
      } catch (RuntimeException e) {
        watch.last = null;
        LOG.warn("could not measure the projection's lag: {}", e.toString());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
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
