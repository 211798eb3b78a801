package dev.quorum.projection.testing;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.EpisodeKey;
import dev.quorum.projection.domain.ListingKey;
import dev.quorum.projection.domain.TimelineKey;
import dev.quorum.projection.domain.Views.IncidentView;
import dev.quorum.projection.kafka.ProjectionMetrics;
import dev.quorum.projection.kafka.ProjectionTopology;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.kafka.StoreNames;
import dev.quorum.projection.kafka.ViewSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import java.util.function.Function;

/** The projection topology in a {@link TopologyTestDriver}, with readers for every view. */
public final class ProjectionDriver implements AutoCloseable {
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> committed;
  private final TestInputTopic<String, byte[]> rebuild;
  private final TestOutputTopic<String, IncidentView> incidents;
  private final TestOutputTopic<String, byte[]> actions;
  private final Map<String, IncidentView> latestIncidents = new TreeMap<>();

  /** The topology on RocksDB stores, as it runs. */
  public ProjectionDriver(Path stateDir) {
    this(stateDir, Stores::persistentKeyValueStore);
  }

  public ProjectionDriver(Path stateDir, Function<String, KeyValueBytesStoreSupplier> stores) {
    this(stateDir, stores, Integer.MAX_VALUE);
  }

  /** With a limit on the size of a state value. */
  /** The commit interval of the driver's projection, and so of its publications. */
  public static final java.time.Duration PUBLICATION = java.time.Duration.ofMillis(100);

  public ProjectionDriver(Path stateDir, Function<String, KeyValueBytesStoreSupplier> stores, int maxValueBytes) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projection-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, PUBLICATION.toMillis());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    TopicNames topics = TopicNames.DEFAULT;
    driver = new TopologyTestDriver(
        ProjectionTopology.topology(topics, new ProjectionMetrics(registry, Clock.systemUTC()), stores, maxValueBytes),
        props);
    committed = driver.createInputTopic(topics.committed(), new StringSerializer(), new ByteArraySerializer());
    rebuild = driver.createInputTopic(topics.rebuild(), new StringSerializer(), new ByteArraySerializer());
    incidents = driver.createOutputTopic(
        topics.incidents(), new StringDeserializer(), ViewSerdes.incidentView().deserializer());
    actions = driver.createOutputTopic(topics.actions(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  public void publish(Event event) {
    committed.pipeInput(event.incidentId().toString(), EventCodec.encode(event));
  }

  /** Publishes the event in a record of the given timestamp. */
  public void publishAt(Event event, java.time.Instant timestamp) {
    committed.pipeInput(event.incidentId().toString(), EventCodec.encode(event), timestamp);
  }

  /** Publishes the event and returns it. */
  public Event publishing(Event event) {
    publish(event);
    return event;
  }

  public void publishAll(Collection<Event> events) {
    events.forEach(this::publish);
  }

  public void publishRaw(String key, byte[] value) {
    committed.pipeInput(key, value);
  }

  public void rebuild(Event event) {
    rebuild.pipeInput(event.incidentId().toString(), EventCodec.encode(event));
  }

  /** The state as the fold made it: the stored value with its latest episode's items put back (ADR 8). */
  public IncidentState state(UUID incidentId) {
    IncidentState stored = storedState(incidentId);
    if (stored == null || stored.latest().isEmpty()) return stored;
    Episode latest = stored.latest().get();
    return stored.withEpisodes(List.of(whole(incidentId, latest)));
  }

  /** The state value as stored. */
  public IncidentState storedState(UUID incidentId) {
    KeyValueStore<String, IncidentState> store = driver.getKeyValueStore(StoreNames.STATE);
    return store.get(incidentId.toString());
  }

  private Episode whole(UUID incidentId, Episode stored) {
    KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(StoreNames.ITEMS);
    List<EpisodeItems.Item> items = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(EpisodeItems.first(incidentId, stored.number())),
        Bytes.wrap(EpisodeItems.end(incidentId, stored.number())))) {
      it.forEachRemaining(kv -> items.add(ViewSerdes.item().deserializer().deserialize(null, kv.value)));
    }
    return EpisodeItems.assemble(stored, items);
  }

  public List<TimelineEntry> timeline(UUID incidentId) {
    KeyValueStore<Bytes, TimelineEntry> store = driver.getKeyValueStore(StoreNames.TIMELINE);
    List<TimelineEntry> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, TimelineEntry> it =
        store.range(Bytes.wrap(TimelineKey.first(incidentId)), Bytes.wrap(TimelineKey.last(incidentId)))) {
      it.forEachRemaining(kv -> entries.add(kv.value));
    }
    return entries;
  }

  /** Every key of the listing index, in its order. */
  public List<ListingKey> listing() {
    KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(StoreNames.LISTING);
    List<ListingKey> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      it.forEachRemaining(kv -> keys.add(ListingKey.fromBytes(kv.key.get())));
    }
    return keys;
  }

  public List<Episode> episodes(UUID incidentId) {
    KeyValueStore<Bytes, Episode> store = driver.getKeyValueStore(StoreNames.EPISODES);
    List<Episode> episodes = new ArrayList<>();
    try (KeyValueIterator<Bytes, Episode> it =
        store.range(Bytes.wrap(EpisodeKey.first(incidentId)), Bytes.wrap(EpisodeKey.last(incidentId)))) {
      it.forEachRemaining(kv -> episodes.add(whole(incidentId, kv.value)));
    }
    return episodes;
  }

  /** Every non-empty analytics bucket. */
  public Map<BucketKey, Bucket> buckets() {
    KeyValueStore<String, Bucket> store = driver.getKeyValueStore(StoreNames.BUCKETS);
    Map<BucketKey, Bucket> buckets = new TreeMap<>(java.util.Comparator.comparing(BucketKey::encode));
    try (KeyValueIterator<String, Bucket> it = store.all()) {
      it.forEachRemaining(kv -> {
        if (kv.value != null && kv.value.hasEpisodes()) buckets.put(BucketKey.decode(kv.key), kv.value);
      });
    }
    return buckets;
  }

  /**
   * Lets one commit interval pass on the wall clock: the projection then publishes the views of the episodes
   * changed since its last publication.
   */
  public void publishViews() {
    driver.advanceWallClockTime(PUBLICATION);
  }

  /** How many records merge targets queued to pass on along chains of merges, not sent yet. */
  public long relaysQueued() {
    KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(StoreNames.RELAYS);
    long queued = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        queued++;
      }
    }
    return queued;
  }

  /** The latest record per key on the compacted incidents topic, as compaction would leave it (tombstones delete). */
  public Map<String, IncidentView> incidentsTopic() {
    incidentsTimedRecords(); // read: what compaction would leave is kept as it is read
    return new TreeMap<>(latestIncidents);
  }

  /** Every record written to the incidents topic since the last read, tombstones (null values) included. */
  public List<org.apache.kafka.streams.KeyValue<String, IncidentView>> incidentsRecords() {
    return incidentsTimedRecords().stream()
        .map(record -> org.apache.kafka.streams.KeyValue.pair(record.key(), record.value())).toList();
  }

  /** As {@link #incidentsRecords}, with each record's timestamp. */
  public List<org.apache.kafka.streams.test.TestRecord<String, IncidentView>> incidentsTimedRecords() {
    publishViews();
    List<org.apache.kafka.streams.test.TestRecord<String, IncidentView>> records = incidents.readRecordsToList();
    records.forEach(record -> {
      if (record.value() == null) latestIncidents.remove(record.key());
      else latestIncidents.put(record.key(), record.value());
    });
    return records;
  }

  /** The events the projection asked to store since the last read (the actions topic), checked against their keys. */
  public List<Event> derived() {
    List<Event> events = new ArrayList<>();
    actions.readKeyValuesToList().forEach(kv -> {
      Event event = EventCodec.decode(kv.value);
      if (!event.incidentId().toString().equals(kv.key)) throw new AssertionError("derived event keyed " + kv.key);
      events.add(event);
    });
    return events;
  }

  /**
   * Every record written to the incidents topic since the last read, as the bytes a consumer of the topic
   * reads (tombstones have null values). Shares the topic's queue with {@link #incidentsRecords}.
   */
  public List<org.apache.kafka.streams.KeyValue<String, byte[]>> incidentsBytes() {
    publishViews();
    return driver.createOutputTopic(TopicNames.DEFAULT.incidents(), new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readKeyValuesToList();
  }

  public double counter(String outcome) {
    return registry.get("quorum.projection.events").tag("outcome", outcome).counter().count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
