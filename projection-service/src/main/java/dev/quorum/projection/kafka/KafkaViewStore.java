package dev.quorum.projection.kafka;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.AppliedKey;
import dev.quorum.projection.domain.Checkpoint;
import dev.quorum.projection.domain.LateMarks;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.EpisodeKey;
import dev.quorum.projection.domain.ListingKey;
import dev.quorum.projection.domain.MergedSignals;
import dev.quorum.projection.domain.TimelineKey;
import dev.quorum.projection.domain.ViewStore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The projector's views in one task's state stores. The incident states, episodes, published episode items
 * and merged signals this task wrote or read last are also kept as objects ({@link TaskObjects}, {@link
 * #RECENT} of each), so the next event of a busy incident finds them without decoding their JSON or scanning
 * a range of a store. The task's processors share those objects, and every write to the views goes through
 * an instance of this class over them: none holds a copy another one's write made stale.
 */
final class KafkaViewStore implements ViewStore {
  /** How many incident states, episodes, episodes' published items and targets' merged signals a task keeps as objects. */
  static final int RECENT = 4_096;

  /**
   * The largest state value taken: under Kafka's 1 MiB record limit for the changelog with room for the
   * key and headers. The state holds the latest episode, and so bounds every episode and checkpoint.
   */
  static final int MAX_VALUE_BYTES = 900 * 1024;

  private static final byte[] LISTED = new byte[0];
  private static final Serializer<IncidentState> STATE = ViewSerdes.state().serializer();
  private static final Serializer<EpisodeItems.Item> ITEM_WRITER = ViewSerdes.item().serializer();
  private static final org.apache.kafka.common.serialization.Deserializer<EpisodeItems.Item> ITEM_READER =
      ViewSerdes.item().deserializer();
  private final KeyValueStore<String, IncidentState> states;
  private final KeyValueStore<Bytes, TimelineEntry> timeline;
  private final KeyValueStore<Bytes, Episode> episodes;
  private final KeyValueStore<Bytes, byte[]> applied;
  private final KeyValueStore<Bytes, Checkpoint> checkpoints;
  private final KeyValueStore<Bytes, byte[]> listing;
  private final KeyValueStore<Bytes, MergedSignals> merged;
  private final KeyValueStore<Bytes, byte[]> items; // encoded: counting them decodes none
  private final int maxValueBytes;
  private final TaskObjects objects;

  KafkaViewStore(
      KeyValueStore<String, IncidentState> states,
      KeyValueStore<Bytes, TimelineEntry> timeline,
      KeyValueStore<Bytes, Episode> episodes,
      KeyValueStore<Bytes, byte[]> applied,
      KeyValueStore<Bytes, Checkpoint> checkpoints,
      KeyValueStore<Bytes, byte[]> listing,
      KeyValueStore<Bytes, MergedSignals> merged,
      KeyValueStore<Bytes, byte[]> items,
      int maxValueBytes,
      TaskObjects objects) {
    this.states = states;
    this.timeline = timeline;
    this.episodes = episodes;
    this.applied = applied;
    this.checkpoints = checkpoints;
    this.listing = listing;
    this.merged = merged;
    this.items = items;
    this.maxValueBytes = maxValueBytes;
    this.objects = objects;
  }

  /**
   * The views in the stores of the task {@code context} belongs to, with the task's objects ({@link
   * StoreNames#OBJECTS}, shared by its processors): emptied here, as a processor is (re)initialized only
   * before the task processes anything, after its stores were restored or wiped.
   */
  static KafkaViewStore of(org.apache.kafka.streams.processor.api.ProcessorContext<?, ?> context, int maxValueBytes) {
    TaskObjects objects = context.getStateStore(StoreNames.OBJECTS);
    objects.clear();
    return new KafkaViewStore(
        context.getStateStore(StoreNames.STATE),
        context.getStateStore(StoreNames.TIMELINE),
        context.getStateStore(StoreNames.EPISODES),
        context.getStateStore(StoreNames.APPLIED),
        context.getStateStore(StoreNames.CHECKPOINTS),
        context.getStateStore(StoreNames.LISTING),
        context.getStateStore(StoreNames.MERGED),
        context.getStateStore(StoreNames.ITEMS),
        maxValueBytes, objects);
  }

  /** The task's objects, shared by its processors. */
  TaskObjects objects() {
    return objects;
  }

  @Override
  public IncidentState state(UUID incidentId) {
    IncidentState state = objects.states.get(incidentId);
    if (state != null) return state;
    state = states.get(incidentId.toString());
    if (state != null) objects.states.put(incidentId, state);
    return state;
  }

  @Override
  public String refusal(IncidentState state) {
    int bytes = STATE.serialize(null, state).length;
    return bytes <= maxValueBytes ? null
        : "its state value would take " + bytes + " bytes, more than the " + maxValueBytes + " a store value may";
  }

  @Override
  public void putState(IncidentState state) {
    states.put(state.incidentId().toString(), state);
    objects.states.put(state.incidentId(), state);
  }

  @Override
  public OrderKey appliedKey(UUID incidentId, UUID eventId) {
    byte[] key = applied.get(Bytes.wrap(AppliedKey.toBytes(incidentId, eventId)));
    return key == null ? null : OrderKey.fromBytes(key);
  }

  @Override
  public void putAppliedKey(UUID incidentId, UUID eventId, OrderKey key) {
    applied.put(Bytes.wrap(AppliedKey.toBytes(incidentId, eventId)), key.toBytes());
  }

  @Override
  public List<TimelineEntry> timeline(UUID incidentId) {
    List<TimelineEntry> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, TimelineEntry> it =
        timeline.range(Bytes.wrap(TimelineKey.first(incidentId)), Bytes.wrap(TimelineKey.last(incidentId)))) {
      it.forEachRemaining(kv -> entries.add(kv.value));
    }
    return entries;
  }

  @Override
  public Cursor timelineFrom(UUID incidentId, OrderKey from) {
    return timelineFrom(timeline, incidentId, from);
  }

  /** The incident's timeline entries from {@code from} (inclusive; null: the first) on, read as the cursor moves. */
  static Cursor timelineFrom(ReadOnlyKeyValueStore<Bytes, TimelineEntry> timeline, UUID incidentId, OrderKey from) {
    byte[] first = from == null ? TimelineKey.first(incidentId) : new TimelineKey(incidentId, from).toBytes();
    KeyValueIterator<Bytes, TimelineEntry> it = timeline.range(Bytes.wrap(first), Bytes.wrap(TimelineKey.last(incidentId)));
    return Cursor.over(java.util.stream.StreamSupport.stream(
        java.util.Spliterators.spliteratorUnknownSize(it, java.util.Spliterator.ORDERED), false)
        .map(kv -> kv.value).iterator(), it::close);
  }

  @Override
  public void putTimelineEntry(UUID incidentId, TimelineEntry entry) {
    timeline.put(Bytes.wrap(new TimelineKey(incidentId, entry.event().orderKey()).toBytes()), entry);
  }

  @Override
  public void deleteTimelineEntry(UUID incidentId, OrderKey key) {
    timeline.delete(Bytes.wrap(new TimelineKey(incidentId, key).toBytes()));
  }

  @Override
  public Episode episode(UUID incidentId, int number) {
    EpisodeKey key = new EpisodeKey(incidentId, number);
    Episode episode = objects.episodes.get(key);
    if (episode != null) return episode;
    episode = episodes.get(Bytes.wrap(key.toBytes()));
    if (episode != null) objects.episodes.put(key, episode);
    return episode;
  }

  @Override
  public void putEpisode(UUID incidentId, Episode episode) {
    Episode old = episode(incidentId, episode.number());
    EpisodeKey key = new EpisodeKey(incidentId, episode.number());
    ListingKey now = ListingKey.of(incidentId, episode);
    boolean relisted = old == null || !ListingKey.of(incidentId, old).equals(now);
    if (old != null && relisted) unlist(incidentId, old);
    episodes.put(Bytes.wrap(key.toBytes()), episode);
    objects.episodes.put(key, episode);
    if (relisted) listing.put(Bytes.wrap(now.toBytes()), LISTED);
  }

  @Override
  public void deleteEpisode(UUID incidentId, int number) {
    Episode old = episode(incidentId, number);
    EpisodeKey key = new EpisodeKey(incidentId, number);
    if (old != null) unlist(incidentId, old);
    episodes.delete(Bytes.wrap(key.toBytes()));
    objects.episodes.remove(key);
  }

  private void unlist(UUID incidentId, Episode episode) {
    listing.delete(Bytes.wrap(ListingKey.of(incidentId, episode).toBytes()));
  }

  @Override
  public Checkpoint checkpoint(UUID incidentId, int number) {
    return checkpoints.get(Bytes.wrap(new EpisodeKey(incidentId, number).toBytes()));
  }

  @Override
  public void putCheckpoint(UUID incidentId, int number, Checkpoint checkpoint) {
    checkpoints.put(Bytes.wrap(new EpisodeKey(incidentId, number).toBytes()), checkpoint);
  }

  @Override
  public void deleteCheckpoint(UUID incidentId, int number) {
    checkpoints.delete(Bytes.wrap(new EpisodeKey(incidentId, number).toBytes()));
  }

  @Override
  public LateMarks lateMarks(UUID incidentId) {
    return lateMarks(applied, incidentId);
  }

  /** The incident's late marks, kept beside its applied ids under a key of its own length (ADR 8). */
  static LateMarks lateMarks(ReadOnlyKeyValueStore<Bytes, byte[]> applied, UUID incidentId) {
    byte[] value = applied.get(Bytes.wrap(LateMarks.key(incidentId)));
    return value == null ? null : LateMarks.decode(value);
  }

  @Override
  public void putLateMarks(UUID incidentId, LateMarks marks) {
    applied.put(Bytes.wrap(LateMarks.key(incidentId)), marks.encode());
  }

  @Override
  public List<MergedSignals> mergedSignals(UUID target) {
    List<MergedSignals> found = objects.merged.get(target);
    if (found != null) return found;
    found = List.copyOf(mergedSignals(merged, target));
    objects.merged.put(target, found);
    return found;
  }

  /** Every source merged into {@code target}, read from the store (also the query API's read). */
  static List<MergedSignals> mergedSignals(ReadOnlyKeyValueStore<Bytes, MergedSignals> store, UUID target) {
    List<MergedSignals> found = new ArrayList<>();
    try (KeyValueIterator<Bytes, MergedSignals> it =
        store.range(Bytes.wrap(MergedSignals.first(target)), Bytes.wrap(MergedSignals.last(target)))) {
      it.forEachRemaining(kv -> found.add(kv.value));
    }
    return found;
  }

  @Override
  public MergedSignals mergedSignals(UUID target, UUID source, int sourceEpisode) {
    return merged.get(Bytes.wrap(MergedSignals.key(target, source, sourceEpisode)));
  }

  @Override
  public void putMergedSignals(MergedSignals signals) {
    merged.put(Bytes.wrap(MergedSignals.key(signals.target(), signals.source(), signals.sourceEpisode())), signals);
    objects.merged.remove(signals.target());
  }

  @Override
  public void deleteMergedSignals(UUID target, UUID source, int sourceEpisode) {
    merged.delete(Bytes.wrap(MergedSignals.key(target, source, sourceEpisode)));
    objects.merged.remove(target);
  }

  @Override
  public List<EpisodeItems.Item> items(UUID incidentId, int episode, int limit) {
    return items(items, incidentId, episode, limit);
  }

  @Override
  public int itemCount(UUID incidentId, int episode, int limit) {
    int count = 0;
    try (KeyValueIterator<Bytes, byte[]> it = itemRange(items, incidentId, episode)) {
      for (; it.hasNext() && count < limit; count++) it.next();
    }
    return count;
  }

  /**
   * The items an episode view carries whole: all of the episode's, in key order, while it has at most
   * {@link EpisodeItems#PUBLISHED}; null when it has more (the view is then the episode as stored).
   */
  List<EpisodeItems.Item> published(UUID incidentId, int episode) {
    EpisodeKey key = new EpisodeKey(incidentId, episode);
    TaskObjects.Published known = objects.published.get(key);
    if (known == null) {
      TreeMap<Bytes, EpisodeItems.Item> read = new TreeMap<>();
      try (KeyValueIterator<Bytes, byte[]> it = itemRange(items, incidentId, episode)) {
        while (it.hasNext() && read.size() <= EpisodeItems.PUBLISHED) {
          var next = it.next();
          read.put(next.key, ITEM_READER.deserialize(null, next.value));
        }
      }
      known = new TaskObjects.Published(read);
      objects.published.put(key, known);
    }
    return known.items();
  }

  /** Up to {@code limit} items of the episode, read from the store (also the query API's read). */
  static List<EpisodeItems.Item> items(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, UUID incidentId, int episode, int limit) {
    try (KeyValueIterator<Bytes, byte[]> it = itemRange(store, incidentId, episode)) {
      return read(it, limit);
    }
  }

  /** Up to {@code limit} items from {@code it}, decoded. */
  private static List<EpisodeItems.Item> read(KeyValueIterator<Bytes, byte[]> it, int limit) {
    List<EpisodeItems.Item> found = new ArrayList<>();
    while (it.hasNext() && found.size() < limit) found.add(ITEM_READER.deserialize(null, it.next().value));
    return found;
  }

  private static KeyValueIterator<Bytes, byte[]> itemRange(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, UUID incidentId, int episode) {
    return store.range(Bytes.wrap(EpisodeItems.first(incidentId, episode)), Bytes.wrap(EpisodeItems.end(incidentId, episode)));
  }

  @Override
  public void putItem(EpisodeItems.Item item) {
    Bytes key = Bytes.wrap(item.key());
    items.put(key, ITEM_WRITER.serialize(null, item));
    TaskObjects.Published known = objects.published.get(new EpisodeKey(item.incidentId(), item.episode()));
    if (known != null) known.put(key, item);
  }

  @Override
  public void opened(UUID incidentId, int episode) {
    // its view's items are those written from here on: none to read back at its first publication
    objects.published.put(new EpisodeKey(incidentId, episode), new TaskObjects.Published(new TreeMap<>()));
  }

  /** Up to {@code limit} of the episode's assignees and follow-ups (they sort first among its items). */
  List<EpisodeItems.Item> assigneesAndFollowups(UUID incidentId, int episode, int limit) {
    try (KeyValueIterator<Bytes, byte[]> it = items.range(
        Bytes.wrap(EpisodeItems.after(incidentId, episode, EpisodeItems.ASSIGNEE, null)),
        Bytes.wrap(EpisodeItems.kindEnd(incidentId, episode, EpisodeItems.FOLLOWUP)))) {
      return read(it, limit);
    }
  }

  @Override
  public EpisodeItems.Item item(byte[] key) {
    byte[] value = items.get(Bytes.wrap(key));
    return value == null ? null : ITEM_READER.deserialize(null, value);
  }

  @Override
  public void deleteItem(EpisodeItems.Item item) {
    Bytes key = Bytes.wrap(item.key());
    items.delete(key);
    EpisodeKey episode = new EpisodeKey(item.incidentId(), item.episode());
    TaskObjects.Published known = objects.published.get(episode);
    if (known != null && !known.remove(key)) objects.published.remove(episode);
  }

  @Override
  public void deleteItems(UUID incidentId, int episode) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = itemRange(items, incidentId, episode)) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(items::delete);
    objects.published.put(new EpisodeKey(incidentId, episode), new TaskObjects.Published(new TreeMap<>()));
  }
}
