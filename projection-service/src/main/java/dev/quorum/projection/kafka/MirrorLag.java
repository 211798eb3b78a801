package dev.quorum.projection.kafka;

import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Passes every committed event on unchanged and, for one read from another region's mirrored topic,
 * measures the replication lag of its direction (ADR 10).
 */
final class MirrorLag implements FixedKeyProcessor<String, byte[], byte[]> {
  private final ProjectionMetrics metrics;
  private final Set<String> mirrored;
  private FixedKeyProcessorContext<String, byte[]> context;

  MirrorLag(ProjectionMetrics metrics, java.util.List<String> mirrored) {
    this.metrics = metrics;
    this.mirrored = Set.copyOf(mirrored);
  }

  @Override
  public void init(FixedKeyProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    context.recordMetadata().ifPresent(m -> {
      if (mirrored.contains(m.topic())) metrics.mirrored(m.topic(), record.timestamp());
    });
    context.forward(record);
  }
}
