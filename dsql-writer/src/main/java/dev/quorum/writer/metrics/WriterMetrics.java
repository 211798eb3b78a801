package dev.quorum.writer.metrics;

import dev.quorum.store.tx.RetryClassification;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.domain.DeadLetter;
import dev.quorum.writer.kafka.KafkaWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the writer's counters (batches, events, dead letters by reason, retries by SQLSTATE and
 * DSQL code, aborts), batch size and commit latency histograms, consumer lag and readiness as meters.
 */
public final class WriterMetrics {
  private static final String NONE = "none";

  private WriterMetrics() {}

  /**
   * Binds the database meters: transactions, attempts, retries (in total, and by SQLSTATE and DSQL
   * conflict code), exhausted retries. Bound before start-up so that retries while waiting count.
   */
  public static void bindStore(MeterRegistry registry, TransactionRunner runner, String instance) {
    Tags tags = Tags.of("instance", instance);
    counter(registry, "quorum.store.transactions", "database transactions asked for", tags,
        runner, r -> r.stats().transactions());
    counter(registry, "quorum.store.attempts", "database transaction attempts", tags,
        runner, r -> r.stats().attempts());
    counter(registry, "quorum.store.retries", "attempts retried after a retryable error (40001, OC000, OC001, ...)",
        tags, runner, r -> r.stats().retries());
    counter(registry, "quorum.store.retries.exhausted", "transactions that ran out of attempts", tags,
        runner, r -> r.stats().exhausted());
    runner.addRetryListener(error -> {
      String sqlState = RetryClassification.sqlState(error);
      String code = RetryClassification.conflictCode(error);
      Counter.builder("quorum.store.retries.by.cause")
          .description("retried attempts by SQLSTATE and DSQL conflict code (none when absent)")
          .tags(tags.and("sqlstate", sqlState == null ? NONE : sqlState, "code", code == null ? NONE : code))
          .register(registry).increment();
    });
  }

  /** Binds meters that read the loop's and the processor's own counters: nothing is counted twice. */
  public static void bindWriter(MeterRegistry registry, KafkaWriter writer, BatchProcessor processor, String instance) {
    Tags tags = Tags.of("instance", instance);
    counter(registry, "quorum.writer.batches.committed", "batches whose Kafka transaction committed", tags,
        writer, w -> w.stats().batchesCommitted());
    counter(registry, "quorum.writer.events.published", "stored events sent to the committed topic", tags,
        writer, w -> w.stats().eventsPublished());
    for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
      counter(registry, "quorum.writer.dead.letters.published", "records sent to the dead-letter topic, by reason",
          tags.and("reason", reason.wire()), writer, w -> w.deadLettersPublished(reason));
    }
    counter(registry, "quorum.writer.kafka.aborts", "Kafka transactions aborted and replayed", tags,
        writer, w -> w.stats().kafkaAborts());
    counter(registry, "quorum.writer.producer.restarts", "producers re-created after fencing", tags,
        writer, w -> w.stats().producerRestarts());
    counter(registry, "quorum.writer.unavailable.episodes", "times the database became unavailable", tags,
        writer, w -> w.stats().unavailableEpisodes());
    Gauge.builder("quorum.writer.ready", writer, w -> w.isReady() ? 1 : 0)
        .description("1 while consuming with the database available").tags(tags).register(registry);
    Gauge.builder("quorum.writer.consumer.lag", writer, KafkaWriter::consumerLag)
        .description("input records of this instance's partitions not yet committed by the group (-1: not known yet)")
        .tags(tags).register(registry);

    // Counted when the batch's Kafka transaction committed, so that a replayed batch is counted once.
    counter(registry, "quorum.writer.events.inserted", "events stored for the first time", tags,
        writer, w -> w.stats().eventsInserted());
    counter(registry, "quorum.writer.events.duplicates", "deliveries of events already stored (deduplicated)", tags,
        writer, w -> w.stats().eventsDuplicated());
    counter(registry, "quorum.writer.events.conflicts", "stored ids reused with different content", tags,
        writer, w -> w.deadLettersPublished(DeadLetter.Reason.CONFLICTING_DUPLICATE));
    counter(registry, "quorum.writer.kafka.commit.retries", "Kafka commits repeated after a timeout", tags,
        writer, w -> w.stats().commitRetries());
    counter(registry, "quorum.writer.batch.splits", "batches split to isolate a record the database refused", tags,
        processor, p -> p.stats().splits());

    DistributionSummary batchSize = DistributionSummary.builder("quorum.writer.batch.size")
        .description("records per committed batch").baseUnit("records").tags(tags)
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(3_000.0).register(registry);
    Timer database = commitLatency(registry, tags, "database");
    Timer kafka = commitLatency(registry, tags, "kafka");
    writer.observe((deliveries, databaseNanos, kafkaNanos) -> {
      batchSize.record(deliveries);
      database.record(databaseNanos, TimeUnit.NANOSECONDS);
      kafka.record(kafkaNanos, TimeUnit.NANOSECONDS);
    });
  }

  private static Timer commitLatency(MeterRegistry registry, Tags tags, String step) {
    return Timer.builder("quorum.writer.commit.latency")
        .description("time a committed batch spent in its database transaction (retries included) or its Kafka transaction")
        .tags(tags.and("step", step)).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2)).register(registry);
  }

  private static <T> void counter(MeterRegistry registry, String name, String description, Tags tags, T source,
      ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry);
  }
}
