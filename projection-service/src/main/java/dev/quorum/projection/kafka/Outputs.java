package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.EpisodeKey;
import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Forwarded;
import dev.quorum.projection.domain.MergedSignals;
import dev.quorum.projection.domain.Projector;
import dev.quorum.projection.domain.Views;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns the projector's changes into records: every new episode view keyed by episode ({@code
 * incidentId/number}, a tombstone when the episode is gone, shown with the signals merged into it), every
 * changed analytics sample, records for a merge target's key, and events to store on another stream.
 */
final class Outputs implements Projector.Changes {
  private final ProcessorContext<String, ProjectionOutput> context;
  private final KafkaViewStore store;
  private Record<String, ?> current;

  Outputs(ProcessorContext<String, ProjectionOutput> context, KafkaViewStore store) {
    this.context = context;
    this.store = store;
  }

  /** The input record whose timestamp and headers the outputs carry. */
  void current(Record<String, ?> record) {
    this.current = record;
  }

  @Override
  public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {
    String key = new EpisodeKey(incidentId, number).toString();
    Views.IncidentView view = null;
    if (after != null) {
      List<EpisodeItems.Item> items = store.published(incidentId, number); // null: more than a view carries
      Episode shown = items != null ? EpisodeItems.assemble(after, items)
          : EpisodeItems.published(after, store.assigneesAndFollowups(incidentId, number, EpisodeItems.PUBLISHED + 1));
      view = Views.incident(incidentId, MergedSignals.onto(shown, store.mergedSignals(incidentId)));
    }
    context.forward(current.withKey(key).withValue(new ProjectionOutput.EpisodeView(view)));
    EpisodeSample old = before == null ? null : EpisodeSample.of(before).orElse(null);
    EpisodeSample now = after == null ? null : EpisodeSample.of(after).orElse(null);
    if (Objects.equals(old, now)) return;
    context.forward(current.withKey(key).withValue(new ProjectionOutput.SampleChange(key, now)));
  }

  @Override
  public void forward(Forwarded record) {
    context.forward(current.withKey(record.target().toString()).withValue(new ProjectionOutput.Forward(record)));
  }

  @Override
  public void derive(Event event) {
    context.forward(current.withKey(event.incidentId().toString()).withValue(new ProjectionOutput.Derived(event)));
  }
}
