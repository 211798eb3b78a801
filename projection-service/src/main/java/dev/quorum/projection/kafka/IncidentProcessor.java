package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.projection.domain.Projector;
import java.time.Duration;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes committed events and hands them to the {@link Projector} over this task's stores; publishes the
 * changed episodes' views once per commit interval ({@link Outputs#publish()}).
 */
final class IncidentProcessor implements Processor<String, byte[], String, ProjectionOutput> {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);

  private final ProjectionMetrics metrics;
  private final int maxValueBytes;
  private ProcessorContext<String, ProjectionOutput> context;
  private Projector projector;
  private Outputs outputs;

  IncidentProcessor(ProjectionMetrics metrics, int maxValueBytes) {
    this.metrics = metrics;
    this.maxValueBytes = maxValueBytes;
  }

  @Override
  public void init(ProcessorContext<String, ProjectionOutput> context) {
    this.context = context;
    KafkaViewStore store = KafkaViewStore.of(context, maxValueBytes);
    this.outputs = new Outputs(context, store);
    this.projector = new Projector(store, outputs);
    // the views of the episodes changed meanwhile go out once per commit interval, as they then stand
    Object interval = context.appConfigs().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    context.schedule(Duration.ofMillis(Math.max(1, ((Number) interval).longValue())), PunctuationType.WALL_CLOCK_TIME,
        now -> {
          outputs.publish();
          outputs.relayQueued(now);
        });
    metrics.started(context.taskId().partition());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    apply(record);
    // applied, or left behind for good: either way done, which the catch-up gate waits for
    metrics.applied(context.recordMetadata());
  }

  private void apply(Record<String, byte[]> record) {
    Event event;
    try {
      event = EventCodec.decode(record.value());
    } catch (DecodeException e) {
      // The writer publishes only stored, valid events; anything else is logged and counted, not fatal.
      metrics.skipped();
      LOG.warn("skipping an undecodable record at {}: {}", coordinates(), e.getMessage());
      return;
    }
    if (!event.isStored()) {
      metrics.skipped();
      LOG.warn("skipping event {} at {}: it carries no storage attributes", event.id(), coordinates());
      return;
    }
    if (!event.incidentId().toString().equals(record.key())) {
      // Keyed otherwise, the event may sit in another partition than its incident's other events.
      metrics.skipped();
      LOG.warn("skipping event {} at {}: keyed {} but it belongs to incident {}", event.id(), coordinates(),
          record.key(), event.incidentId());
      return;
    }
    BinaryValues.decoded(event, record.value()); // its timeline entry keeps the bytes it came in
    outputs.current(record);
    try {
      metrics.projected(event, projector.project(event));
    } catch (Projector.Refused e) {
      // Nothing was written: the record is reported and left behind, and the task goes on. Failing
      // would replay the same record after every restart of the thread, forever.
      metrics.refused();
      LOG.error("event {} of incident {} at {} is not applied: {}", event.id(), event.incidentId(), coordinates(),
          e.getMessage());
    }
  }

  private String coordinates() {
    return context.recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
        .orElse("an unknown offset");
  }
}
