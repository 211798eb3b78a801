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
import dev.quorum.projection.domain.ListingKey;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
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
  private final KafkaViewStore store = new KafkaViewStore(states.store,
      new Counted<Bytes, dev.quorum.event.fold.TimelineEntry>(ViewSerdes.timelineEntry()).store, episodes.store,
      new Counted<Bytes, byte[]>(org.apache.kafka.common.serialization.Serdes.ByteArray()).store,
      new Counted<Bytes, dev.quorum.projection.domain.Checkpoint>(ViewSerdes.checkpoint()).store, listing.store,
      null, null, KafkaViewStore.MAX_VALUE_BYTES, KafkaViewStore.RECENT);

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
    KafkaViewStore next = new KafkaViewStore(states.store, null, episodes.store, null, null, listing.store,
        null, null, KafkaViewStore.MAX_VALUE_BYTES, KafkaViewStore.RECENT);

    IncidentState first = next.state(history.incidentId());
    IncidentState second = next.state(history.incidentId());

    assertThat(first).isEqualTo(state).isSameAs(second);
    assertThat(states.reads).hasValue(1);
  }

  @Test
  void an_instance_that_keeps_no_objects_reads_what_another_instance_of_the_task_wrote_since() {
    History history = History.random();
    IncidentState first = Fold.apply(IncidentState.empty(history.incidentId()), history.add(triggered())).state();
    store.putState(first);
    KafkaViewStore reader = new KafkaViewStore(states.store, null, episodes.store, null, null, listing.store,
        null, null, KafkaViewStore.MAX_VALUE_BYTES, 0);
    assertThat(reader.state(history.incidentId())).isEqualTo(first);

    IncidentState second = Fold.apply(first, history.add(ack())).state();
    store.putState(second);

    assertThat(reader.state(history.incidentId())).as("the merge receiver's reads after the projector wrote")
        .isEqualTo(second);
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
