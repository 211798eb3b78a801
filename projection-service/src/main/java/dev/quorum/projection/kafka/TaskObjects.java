package dev.quorum.projection.kafka;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.EpisodeKey;
import dev.quorum.projection.domain.MergedSignals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The views one task read or wrote last, kept as objects: incident states, episodes, the items an episode
 * view publishes and the signals merged into an incident. A state store of its own (in memory, no
 * changelog), so that the task's two processors, the projector and the merge receiver, get the same
 * instance and each sees what the other wrote: every write to the views goes through a {@link KafkaViewStore}
 * over this instance. It is emptied whenever Kafka Streams (re)initializes the task (after a restore, a
 * wipe or an aborted transaction), and by each processor's {@code init}, so it never outlives the stores'
 * contents it mirrors.
 */
final class TaskObjects implements StateStore {
  /** The items of one episode while it has at most {@link EpisodeItems#PUBLISHED}, by key; null when more. */
  static final class Published {
    private TreeMap<Bytes, EpisodeItems.Item> items;
    private List<EpisodeItems.Item> list; // the items as a list, until the next put or removal

    Published(TreeMap<Bytes, EpisodeItems.Item> items) {
      this.items = items.size() > EpisodeItems.PUBLISHED ? null : items;
    }

    /** The items in key order, or null when the episode has more than it publishes. */
    List<EpisodeItems.Item> items() {
      if (items == null) return null;
      if (list == null) list = List.copyOf(items.values());
      return list;
    }

    void put(Bytes key, EpisodeItems.Item item) {
      if (items == null) return; // more than published, and one more leaves it so
      items.put(key, item);
      list = null;
      if (items.size() > EpisodeItems.PUBLISHED) items = null;
    }

    /**
     * Forgets the item under {@code key}; false when the episode had more items than it publishes, which
     * one fewer may no longer be: the caller then forgets the whole entry.
     */
    boolean remove(Bytes key) {
      if (items == null) return false;
      if (items.remove(key) != null) list = null;
      return true;
    }
  }

  private final String name;
  private final int capacity;
  final Map<UUID, IncidentState> states;
  final Map<EpisodeKey, Episode> episodes;
  final Map<EpisodeKey, Published> published;
  final Map<UUID, List<MergedSignals>> merged;
  /**
   * The episodes noted in {@link StoreNames#UNPUBLISHED} since the last publication, with the time of each
   * one's latest change: a further change of one needs no second write to the store. Not bounded by
   * {@code capacity}: each publication empties it.
   */
  final Map<EpisodeKey, Long> noted = new java.util.HashMap<>();
  /** The next sequence number of {@link StoreNames#RELAYS}, or -1 before the store was read. */
  long nextRelay = -1;
  private boolean open;

  TaskObjects(String name, int capacity) {
    this.name = name;
    this.capacity = capacity;
    this.states = recent(capacity);
    this.episodes = recent(capacity);
    this.published = recent(capacity);
    this.merged = recent(capacity);
  }

  /** A builder of one instance per task, holding up to {@code capacity} objects of each kind. */
  static StoreBuilder<TaskObjects> builder(String name, int capacity) {
    return new StoreBuilder<>() {
      @Override
      public StoreBuilder<TaskObjects> withCachingEnabled() {
        return this;
      }

      @Override
      public StoreBuilder<TaskObjects> withCachingDisabled() {
        return this;
      }

      @Override
      public StoreBuilder<TaskObjects> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException("objects mirror the logged stores: they have no changelog");
      }

      @Override
      public StoreBuilder<TaskObjects> withLoggingDisabled() {
        return this;
      }

      @Override
      public TaskObjects build() {
        return new TaskObjects(name, capacity);
      }

      @Override
      public Map<String, String> logConfig() {
        return Map.of();
      }

      @Override
      public boolean loggingEnabled() {
        return false;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private static <K, V> Map<K, V> recent(int capacity) {
    return new LinkedHashMap<>(Math.min(256, capacity + 1), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Whether it keeps anything at all (a capacity of 0 keeps nothing: every read goes to the stores). */
  boolean keeps() {
    return capacity > 0;
  }

  /** Forgets every object: the next read of each goes to the stores. */
  void clear() {
    states.clear();
    episodes.clear();
    published.clear();
    merged.clear();
    noted.clear();
    nextRelay = -1;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    clear();
    context.register(root, (key, value) -> {}); // no changelog: nothing to restore
    open = true;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    clear();
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
