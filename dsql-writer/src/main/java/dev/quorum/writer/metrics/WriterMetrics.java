package dev.quorum.writer.metrics;

import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.kafka.KafkaWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/** Publishes the writer's counters (batches, events, dead letters, retries, aborts) and readiness as meters. */
public final class WriterMetrics {
  private WriterMetrics() {}

  /** Binds meters that read the components' own counters: nothing is counted twice. */
  public static void bind(MeterRegistry registry, KafkaWriter writer, BatchProcessor processor, TransactionRunner runner,
      String instance) {
    Tags tags = Tags.of("instance", instance);
    counter(registry, "quorum.writer.batches.committed", "batches whose Kafka transaction committed", tags,
        writer, w -> w.stats().batchesCommitted());
    counter(registry, "quorum.writer.events.published", "stored events sent to the committed topic", tags,
        writer, w -> w.stats().eventsPublished());
    counter(registry, "quorum.writer.dead.letters.published", "records sent to the dead-letter topic", tags,
        writer, w -> w.stats().deadLettersPublished());
    counter(registry, "quorum.writer.kafka.aborts", "Kafka transactions aborted and replayed", tags,
        writer, w -> w.stats().kafkaAborts());
    counter(registry, "quorum.writer.producer.restarts", "producers re-created after fencing", tags,
        writer, w -> w.stats().producerRestarts());
    counter(registry, "quorum.writer.unavailable.episodes", "times the database became unavailable", tags,
        writer, w -> w.stats().unavailableEpisodes());
    Gauge.builder("quorum.writer.ready", writer, w -> w.isReady() ? 1 : 0)
        .description("1 while consuming with the database available").tags(tags).register(registry);

    counter(registry, "quorum.writer.events.inserted", "events stored for the first time", tags,
        processor, p -> p.stats().inserted());
    counter(registry, "quorum.writer.events.duplicates", "deliveries of events already stored", tags,
        processor, p -> p.stats().duplicates());
    counter(registry, "quorum.writer.events.conflicts", "stored ids reused with different content", tags,
        processor, p -> p.stats().conflicts());
    counter(registry, "quorum.writer.batch.splits", "batches split to isolate a record the database refused", tags,
        processor, p -> p.stats().splits());

    counter(registry, "quorum.store.transactions", "database transactions asked for", tags,
        runner, r -> r.stats().transactions());
    counter(registry, "quorum.store.attempts", "database transaction attempts", tags,
        runner, r -> r.stats().attempts());
    counter(registry, "quorum.store.retries", "attempts retried after a retryable error (40001, OC000, OC001, ...)",
        tags, runner, r -> r.stats().retries());
    counter(registry, "quorum.store.retries.exhausted", "transactions that ran out of attempts", tags,
        runner, r -> r.stats().exhausted());
  }

  private static <T> void counter(MeterRegistry registry, String name, String description, Tags tags, T source,
      ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry);
  }
}
