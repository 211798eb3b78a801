package dev.quorum.projection.kafka;

import dev.quorum.projection.domain.Forwarded;
import dev.quorum.projection.domain.Projector;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the records merged streams forward to a target's key (ADR 7), in the task that holds the
 * target's views: the same stores as {@link IncidentProcessor}.
 */
final class MergedSignalProcessor implements Processor<String, Forwarded, String, ProjectionOutput> {
  private static final Logger LOG = LoggerFactory.getLogger(MergedSignalProcessor.class);

  private final ProjectionMetrics metrics;
  private final int maxValueBytes;
  private ProcessorContext<String, ProjectionOutput> context;
  private Projector projector;
  private Outputs outputs;

  MergedSignalProcessor(ProjectionMetrics metrics, int maxValueBytes) {
    this.metrics = metrics;
    this.maxValueBytes = maxValueBytes;
  }

  @Override
  public void init(ProcessorContext<String, ProjectionOutput> context) {
    this.context = context;
    // the same task objects as the projector's: each sees what the other wrote
    KafkaViewStore store = KafkaViewStore.of(context, maxValueBytes);
    this.outputs = new Outputs(context, store);
    this.projector = new Projector(store, outputs);
  }

  @Override
  public void process(Record<String, Forwarded> record) {
    receive(record);
    metrics.applied(context.recordMetadata());
  }

  private void receive(Record<String, Forwarded> record) {
    if (record.value() == null) return;
    outputs.current(record);
    try {
      projector.receive(record.value());
    } catch (RuntimeException e) {
      // as for a refused event: reported and left behind, never a task that fails on it forever
      metrics.refused();
      String what = record.value() instanceof Forwarded.Signal s ? "event " + s.entry().event().id()
          : "the merged signals of " + ((Forwarded.Moved) record.value()).source();
      LOG.error("{} forwarded to merge target {} is not applied: {}", what, record.value().target(), e.toString());
    }
  }
}
