package dev.quorum.projection.kafka;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.Step;
import dev.quorum.event.testing.History;
import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.ListingKey;
import dev.quorum.projection.domain.MergedSignals;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaViewStoreTest {

  /** A store on a sorted map that keeps its values as the serde writes them and counts its reads. */
  private static final class Counted<K extends Comparable<K>, V> {
    final NavigableMap<K, byte[]> values = new TreeMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final KeyValueStore<K, V> store;

    @SuppressWarnings("unchecked")
    Counted(Serde<V> serde) {
      store = (KeyValueStore<K, V>) Proxy.newProxyInstance(KeyValueStore.class.getClassLoader(),
          new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> switch (method.getName()) {
            case "get" -> {
              reads.incrementAndGet();
              byte[] bytes = values.get((K) args[0]);
              yield bytes == null ? null : serde.deserializer().deserialize("t", bytes);
            }
            case "put" -> {
              values.put((K) args[0], serde.serializer().serialize("t", (V) args[1]));
              yield null;
            }
            case "delete" -> {
              reads.incrementAndGet();
              byte[] old = values.remove((K) args[0]);
              yield old == null ? null : serde.deserializer().deserialize("t", old);
            }
            case "range" -> {
              reads.incrementAndGet();
              Iterator<Map.Entry<K, byte[]>> it = values.subMap((K) args[0], true, (K) args[1], true).entrySet().iterator();
              yield iterator(it, serde);
            }
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }

    private static <K, V> KeyValueIterator<K, V> iterator(Iterator<Map.Entry<K, byte[]>> it, Serde<V> serde) {
      return new KeyValueIterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public KeyValue<K, V> next() {
          Map.Entry<K, byte[]> next = it.next();
          return KeyValue.pair(next.getKey(), serde.deserializer().deserialize("t", next.getValue()));
        }

        @Override
        public void close() {}

        @Override
        public K peekNextKey() {
          throw new UnsupportedOperationException();
        }
      };
    }
  }

  private final Counted<String, IncidentState> states = new Counted<>(ViewSerdes.state());
  private final Counted<Bytes, Episode> episodes = new Counted<>(ViewSerdes.episode());
  private final Counted<Bytes, byte[]> listing = new Counted<>(org.apache.kafka.common.serialization.Serdes.ByteArray());
  private final Counted<Bytes, MergedSignals> merged = new Counted<>(ViewSerdes.mergedSignals());
  private final Counted<Bytes, byte[]> items = new Counted<>(org.apache.kafka.common.serialization.Serdes.ByteArray());
  /** The task's objects, shared by its processors' instances. */
  private final TaskObjects objects = new TaskObjects(StoreNames.OBJECTS, KafkaViewStore.RECENT);
  private final KafkaViewStore store = new KafkaViewStore(states.store,
      new Counted<Bytes, dev.quorum.event.fold.TimelineEntry>(ViewSerdes.timelineEntry()).store, episodes.store,
      new Counted<Bytes, byte[]>(org.apache.kafka.common.serialization.Serdes.ByteArray()).store,
      new Counted<Bytes, dev.quorum.projection.domain.Checkpoint>(ViewSerdes.checkpoint()).store, listing.store,
      merged.store, items.store, KafkaViewStore.MAX_VALUE_BYTES, objects);

  /** The merge receiver's instance: the same stores and the same task objects as the projector's. */
  private KafkaViewStore receiver() {
    return over(objects);
  }

  /** An instance of a new start of the task: the same stores, no objects yet. */
  private KafkaViewStore nextStartOfTheTask() {
    return over(new TaskObjects(StoreNames.OBJECTS, KafkaViewStore.RECENT));
  }

  private KafkaViewStore over(TaskObjects taskObjects) {
    return new KafkaViewStore(states.store, null, episodes.store, null, null, listing.store, merged.store, items.store,
        KafkaViewStore.MAX_VALUE_BYTES, taskObjects);
  }

  @Test
  void a_state_it_wrote_is_read_back_without_decoding_the_store_value() {
    History history = History.random();
    IncidentState state = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();

    store.putState(state);

    assertThat(store.state(history.incidentId())).isSameAs(state);
    assertThat(states.reads).hasValue(0);
    assertThat(ViewSerdes.state().deserializer().deserialize("t", states.values.get(history.incidentId().toString())))
        .isEqualTo(state);
  }

  @Test
  void a_state_written_by_an_earlier_instance_is_read_from_the_store_once() {
    History history = History.random();
    IncidentState state = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    store.putState(state);
    KafkaViewStore next = nextStartOfTheTask();

    IncidentState first = next.state(history.incidentId());
    IncidentState second = next.state(history.incidentId());

    assertThat(first).isEqualTo(state).isSameAs(second);
    assertThat(states.reads).hasValue(1);
  }

  @Test
  void each_instance_of_the_task_reads_what_the_other_wrote_since() {
    History history = History.random();
    IncidentState first = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    store.putState(first);
    KafkaViewStore reader = receiver();
    assertThat(reader.state(history.incidentId())).isEqualTo(first);

    IncidentState second = Fold.apply(first, history.add(ack())).state();
    store.putState(second);
    assertThat(reader.state(history.incidentId())).as("the merge receiver's reads after the projector wrote")
        .isEqualTo(second);

    IncidentState third = Fold.apply(second, history.add(resolved())).state();
    reader.putState(third);
    assertThat(store.state(history.incidentId())).as("the projector's reads after the merge receiver wrote")
        .isEqualTo(third);
  }

  @Test
  void objects_emptied_by_a_new_start_of_the_task_are_read_from_the_stores_again() {
    History history = History.random();
    IncidentState state = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    store.putState(state);
    objects.clear(); // what (re)initializing the task does: its stores may hold other values now
    states.values.clear();

    assertThat(store.state(history.incidentId())).isNull();
    assertThat(store.published(history.incidentId(), 1)).isEmpty();
    assertThat(store.mergedSignals(history.incidentId())).isEmpty();
  }

  @Test
  void an_episodes_published_items_follow_every_write_of_either_instance_without_a_new_scan() {
    UUID incident = UUID.randomUUID();
    assertThat(store.published(incident, 1)).isEmpty();
    int scans = items.reads.get();

    store.putItem(signal(incident, 1, "b", SignalStatus.FIRING));
    receiver().putItem(signal(incident, 1, "a", SignalStatus.FIRING));
    store.putItem(signal(incident, 1, "b", SignalStatus.RESOLVED));
    store.putItem(signal(incident, 2, "c", SignalStatus.FIRING));

    assertThat(store.published(incident, 1)).as("in key order, as the store holds them")
        .containsExactly(signal(incident, 1, "a", SignalStatus.FIRING), signal(incident, 1, "b", SignalStatus.RESOLVED));
    assertThat(items.reads.get()).isEqualTo(scans);
    assertThat(receiver().published(incident, 1)).isEqualTo(KafkaViewStore.items(items.store, incident, 1, 1_000));
  }

  @Test
  void an_episode_opened_now_publishes_the_items_written_since_without_reading_the_store() {
    UUID incident = UUID.randomUUID();

    store.opened(incident, 1);
    store.putItem(signal(incident, 1, "b", SignalStatus.FIRING));
    receiver().putItem(signal(incident, 1, "a", SignalStatus.FIRING));

    assertThat(store.published(incident, 1))
        .containsExactly(signal(incident, 1, "a", SignalStatus.FIRING), signal(incident, 1, "b", SignalStatus.FIRING));
    assertThat(items.reads).hasValue(0);
    assertThat(nextStartOfTheTask().published(incident, 1)).isEqualTo(store.published(incident, 1));
  }

  @Test
  void an_episode_with_more_items_than_a_view_carries_publishes_none_until_its_items_are_deleted() {
    UUID incident = UUID.randomUUID();
    for (int i = 0; i < EpisodeItems.PUBLISHED; i++) store.putItem(signal(incident, 1, "s" + i, SignalStatus.FIRING));
    assertThat(store.published(incident, 1)).hasSize(EpisodeItems.PUBLISHED);

    receiver().putItem(signal(incident, 1, "one-more", SignalStatus.FIRING));
    assertThat(store.published(incident, 1)).isNull();
    assertThat(nextStartOfTheTask().published(incident, 1)).as("read from the store").isNull();

    receiver().deleteItems(incident, 1);
    assertThat(store.published(incident, 1)).isEmpty();
    store.putItem(signal(incident, 1, "again", SignalStatus.FIRING));
    assertThat(receiver().published(incident, 1)).containsExactly(signal(incident, 1, "again", SignalStatus.FIRING));
  }

  @Test
  void an_item_deleted_alone_leaves_the_published_items_at_once() {
    UUID incident = UUID.randomUUID();
    store.putItem(signal(incident, 1, "a", SignalStatus.FIRING));
    store.putItem(signal(incident, 1, "b", SignalStatus.FIRING));
    assertThat(store.published(incident, 1)).hasSize(2);

    receiver().deleteItem(signal(incident, 1, "a", SignalStatus.FIRING));

    assertThat(store.published(incident, 1)).containsExactly(signal(incident, 1, "b", SignalStatus.FIRING));
  }

  @Test
  void an_item_deleted_from_an_episode_with_more_than_a_view_carries_is_counted_again() {
    UUID incident = UUID.randomUUID();
    for (int i = 0; i <= EpisodeItems.PUBLISHED; i++) store.putItem(signal(incident, 1, "s" + i, SignalStatus.FIRING));
    assertThat(store.published(incident, 1)).isNull();

    receiver().deleteItem(signal(incident, 1, "s0", SignalStatus.FIRING));

    assertThat(store.published(incident, 1)).hasSize(EpisodeItems.PUBLISHED)
        .isEqualTo(KafkaViewStore.items(items.store, incident, 1, 1_000));
  }

  @Test
  void the_signals_merged_into_an_incident_follow_every_write_of_either_instance() {
    UUID target = UUID.randomUUID();
    UUID source = UUID.randomUUID();
    assertThat(store.mergedSignals(target)).isEmpty();
    int scans = merged.reads.get();
    assertThat(store.mergedSignals(target)).isEmpty();
    assertThat(merged.reads.get()).as("read once").isEqualTo(scans);

    MergedSignals signals = new MergedSignals(target, 1, source, 1, Map.of("x", SignalStatus.FIRING));
    receiver().putMergedSignals(signals);
    assertThat(store.mergedSignals(target)).containsExactly(signals);

    MergedSignals resolved = signals.with("x", SignalStatus.RESOLVED);
    receiver().putMergedSignals(resolved);
    assertThat(store.mergedSignals(target)).containsExactly(resolved);

    receiver().deleteMergedSignals(target, source, 1);
    assertThat(store.mergedSignals(target)).isEmpty();
  }

  private static EpisodeItems.Item signal(UUID incident, int episode, String fingerprint, SignalStatus status) {
    return new EpisodeItems.Item(incident, episode, fingerprint, status, null, null, null, null);
  }

  @Test
  void an_episode_that_changes_is_relisted_without_reading_the_one_it_replaces_from_the_store() {
    History history = History.random();
    List<Event> events = List.of(history.add(triggered()), history.add(ack()), history.add(resolved()));
    IncidentState state = IncidentState.empty(history.incidentId());
    for (Event event : events) {
      Step step = Fold.apply(state, event);
      store.putEpisode(history.incidentId(), step.after());
      state = step.state();
    }

    Episode last = state.latest().orElseThrow();
    assertThat(episodes.reads).hasValue(1); // the first episode's absence
    assertThat(store.episode(history.incidentId(), last.number())).isSameAs(last);
    assertThat(listing.values.keySet()).containsExactly(Bytes.wrap(ListingKey.of(history.incidentId(), last).toBytes()));
  }

  @Test
  void a_deleted_episode_is_gone_from_the_objects_too() {
    History history = History.random();
    Episode episode = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).after();
    store.putEpisode(history.incidentId(), episode);

    store.deleteEpisode(history.incidentId(), episode.number());

    assertThat(store.episode(history.incidentId(), episode.number())).isNull();
    assertThat(listing.values).isEmpty();
  }
}
