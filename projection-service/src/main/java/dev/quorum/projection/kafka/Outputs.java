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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the projector's changes into records: every changed episode's view keyed by episode ({@code
 * incidentId/number}, a tombstone when the episode is gone, shown with the signals merged into it), every
 * changed analytics sample, records for a merge target's key, and events to store on another stream.
 *
 * <p>An episode's view is not built when the episode changes: the change is noted in {@link
 * StoreNames#UNPUBLISHED} (changelogged, so a note survives a crash or a move of the task) and {@link
 * #publish()}, once per commit interval, sends each noted episode as it then stands. A busy episode is
 * built, serialized and sent once per interval instead of once per event; compaction would keep only the
 * last of those records anyway, and a consumer reading committed records sees them only at the commit.
 */
final class Outputs implements Projector.Changes {
  private static final org.apache.kafka.common.serialization.Serde<Forwarded> FORWARDED = ViewSerdes.forwarded();

  private final ProcessorContext<String, ProjectionOutput> context;
  private final KafkaViewStore store;
  private final KeyValueStore<Bytes, byte[]> unpublished;
  private final KeyValueStore<Bytes, byte[]> relays;
  private Record<String, ?> current;

  Outputs(ProcessorContext<String, ProjectionOutput> context, KafkaViewStore store) {
    this.context = context;
    this.store = store;
    this.unpublished = context.getStateStore(StoreNames.UNPUBLISHED);
    this.relays = context.getStateStore(StoreNames.RELAYS);
  }

  /** The input record whose timestamp and headers the outputs carry. */
  void current(Record<String, ?> record) {
    this.current = record;
  }

  @Override
  public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {
    EpisodeKey episode = new EpisodeKey(incidentId, number);
    // the view goes out at the next publication, with the time of the episode's latest change; one note
    // per episode and publication is enough (a restored one carries the time of the change it noted)
    if (store.objects().noted.put(episode, current.timestamp()) == null) {
      unpublished.put(Bytes.wrap(episode.toBytes()), ByteBuffer.allocate(Long.BYTES).putLong(current.timestamp()).array());
    }
    EpisodeSample old = before == null ? null : EpisodeSample.of(before).orElse(null);
    EpisodeSample now = after == null ? null : EpisodeSample.of(after).orElse(null);
    if (Objects.equals(old, now)) return;
    String key = episode.toString();
    context.forward(current.withKey(key).withValue(new ProjectionOutput.SampleChange(key, now)));
  }

  /**
   * Sends the view of every episode changed since the last publication as it stands now (a tombstone when
   * it is gone), in key order, and forgets the notes.
   */
  void publish() {
    List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = unpublished.all()) {
      it.forEachRemaining(due::add);
    }
    Map<EpisodeKey, Long> noted = store.objects().noted;
    for (KeyValue<Bytes, byte[]> note : due) {
      EpisodeKey key = EpisodeKey.fromBytes(note.key.get());
      Episode episode = store.episode(key.incidentId(), key.number());
      Long latest = noted.get(key);
      long timestamp = latest != null ? latest : ByteBuffer.wrap(note.value).getLong();
      context.forward(new Record<>(key.toString(), new ProjectionOutput.EpisodeView(view(key, episode)), timestamp));
      unpublished.delete(note.key);
    }
    noted.clear();
  }

  /** The episode's view as the incidents topic carries it, or null when it is gone. */
  private Views.IncidentView view(EpisodeKey key, Episode episode) {
    if (episode == null) return null;
    UUID incidentId = key.incidentId();
    List<EpisodeItems.Item> items = store.published(incidentId, key.number()); // null: more than a view carries
    Episode shown = items != null ? EpisodeItems.assemble(episode, items)
        : EpisodeItems.published(episode, store.assigneesAndFollowups(incidentId, key.number(), EpisodeItems.PUBLISHED + 1));
    return Views.incident(incidentId, MergedSignals.onto(shown, store.mergedSignals(incidentId)));
  }

  @Override
  public void forward(Forwarded record) {
    context.forward(current.withKey(record.target().toString()).withValue(new ProjectionOutput.Forward(record)));
  }

  /**
   * Queues the record in {@link StoreNames#RELAYS}: the processor of forwarded records cannot send to the
   * repartition topic it reads, so the next publication ({@link #relayQueued}) sends it, in queue order.
   */
  @Override
  public void relay(Forwarded record) {
    TaskObjects objects = store.objects();
    if (objects.nextRelay < 0) {
      long next = 0;
      try (KeyValueIterator<Bytes, byte[]> it = relays.all()) {
        while (it.hasNext()) next = Math.max(next, ByteBuffer.wrap(it.next().key.get()).getLong() + 1);
      }
      objects.nextRelay = next;
    }
    relays.put(Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(objects.nextRelay++).array()),
        FORWARDED.serializer().serialize(null, record));
  }

  /** Sends the queued records on, in order, and forgets them. */
  void relayQueued(long timestamp) {
    List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = relays.all()) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<Bytes, byte[]> queued : due) {
      Forwarded record = FORWARDED.deserializer().deserialize(null, queued.value);
      context.forward(new Record<>(record.target().toString(), new ProjectionOutput.Forward(record), timestamp));
      relays.delete(queued.key);
    }
  }

  @Override
  public void derive(Event event) {
    context.forward(current.withKey(event.incidentId().toString()).withValue(new ProjectionOutput.Derived(event)));
  }
}
