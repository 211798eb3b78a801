package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Episode;
import dev.quorum.projection.domain.EpisodeKey;
import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Projector;
import dev.quorum.projection.domain.Views;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes committed events and hands them to the {@link Projector} over this task's stores. */
final class IncidentProcessor implements Processor<String, byte[], String, ProjectionOutput> {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);

  private final ProjectionMetrics metrics;
  private final int maxValueBytes;
  private ProcessorContext<String, ProjectionOutput> context;
  private Projector projector;
  private Record<String, byte[]> current;

  IncidentProcessor(ProjectionMetrics metrics, int maxValueBytes) {
    this.metrics = metrics;
    this.maxValueBytes = maxValueBytes;
  }

  @Override
  public void init(ProcessorContext<String, ProjectionOutput> context) {
    this.context = context;
    KafkaViewStore store = new KafkaViewStore(
        context.getStateStore(StoreNames.STATE),
        context.getStateStore(StoreNames.TIMELINE),
        context.getStateStore(StoreNames.EPISODES),
        context.getStateStore(StoreNames.APPLIED),
        context.getStateStore(StoreNames.CHECKPOINTS),
        context.getStateStore(StoreNames.LISTING),
        maxValueBytes);
    this.projector = new Projector(store, new Forwarding());
  }

  @Override
  public void process(Record<String, byte[]> record) {
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
    current = record;
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

  /**
   * Turns the projector's changes into records keyed by episode ({@code incidentId/number}): every new
   * episode view (a tombstone when the episode is gone) and every changed analytics sample.
   */
  private final class Forwarding implements Projector.Changes {
    @Override
    public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {
      String key = new EpisodeKey(incidentId, number).toString();
      context.forward(current.withKey(key)
          .withValue(new ProjectionOutput.EpisodeView(after == null ? null : Views.incident(incidentId, after))));
      EpisodeSample old = before == null ? null : EpisodeSample.of(before).orElse(null);
      EpisodeSample now = after == null ? null : EpisodeSample.of(after).orElse(null);
      if (Objects.equals(old, now)) return;
      context.forward(current.withKey(key).withValue(new ProjectionOutput.SampleChange(key, now)));
    }
  }
}
