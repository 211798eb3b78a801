package dev.quorum.projection.kafka;

import dev.quorum.event.Topics;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.projection.domain.Forwarded;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.EpisodeSample;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The projection's topology, built in one pure method: committed events (and events a rebuild sends)
 * → per-incident state, timeline and episodes → the compacted incidents topic (each changed episode's
 * latest view once per commit interval, keyed {@code incidentId/number}, tombstones for episodes that are
 * gone), and episode samples →
 * daily analytics buckets aggregated with an adder and a subtractor.
 */
public final class ProjectionTopology {

  /**
   * The topics the topology reads and writes; {@code actions} takes the events the projection asks to store
   * (the end of an alert a merge target ended, ADR 7), as any producer's; {@code mirrored} are other regions'
   * committed topics mirrored into this cluster (two regions: ADR 10), folded with this region's own.
   */
  public record TopicNames(String committed, String rebuild, String incidents, String actions, List<String> mirrored) {
    public static final String REBUILD = "quorum.projection.rebuild.v1";
    public static final TopicNames DEFAULT = new TopicNames(Topics.COMMITTED, REBUILD, Topics.INCIDENTS);

    public TopicNames {
      Objects.requireNonNull(committed, "committed");
      Objects.requireNonNull(rebuild, "rebuild");
      Objects.requireNonNull(incidents, "incidents");
      Objects.requireNonNull(actions, "actions");
      mirrored = List.copyOf(mirrored);
    }

    /** One region: no mirrored topic. */
    public TopicNames(String committed, String rebuild, String incidents) {
      this(committed, rebuild, incidents, Topics.ACTIONS, List.of());
    }

    /** Every topic of committed events the views fold: this region's, the other regions', the rebuild's. */
    public List<String> sources() {
      List<String> all = new java.util.ArrayList<>(mirrored.size() + 2);
      all.add(committed);
      all.addAll(mirrored);
      all.add(rebuild);
      return all;
    }
  }

  /** The name of the grouping that feeds the analytics buckets, and so of its repartition topic. */
  static final String SAMPLES_BY_BUCKET = "samples-by-bucket";
  /** The name of the repartition that takes a merged stream's signals to its target's key (ADR 7). */
  static final String MERGED_SIGNALS = "merged-signals";

  private ProjectionTopology() {}

  /** The repartition topic the analytics buckets are read from: their tasks' source. */
  public static String bucketRepartitionTopic(String applicationId) {
    return applicationId + "-" + SAMPLES_BY_BUCKET + "-repartition";
  }

  /** The repartition topic that brings merged streams' signals to their targets: an input of the incident tasks. */
  public static String mergedSignalsRepartitionTopic(String applicationId) {
    return applicationId + "-" + MERGED_SIGNALS + "-repartition";
  }

  /** The topology on RocksDB stores. */
  public static Topology topology(TopicNames topics, ProjectionMetrics metrics) {
    return topology(topics, metrics, Stores::persistentKeyValueStore);
  }

  /** The topology on the stores {@code stores} supplies by name (in-memory ones make property tests fast). */
  public static Topology topology(
      TopicNames topics, ProjectionMetrics metrics, Function<String, KeyValueBytesStoreSupplier> stores) {
    StreamsBuilder builder = new StreamsBuilder();
    build(builder, topics, metrics, stores, KafkaViewStore.MAX_VALUE_BYTES);
    return builder.build();
  }

  /** The topology with a limit on the size of a state value (tests take a small one). */
  public static Topology topology(TopicNames topics, ProjectionMetrics metrics,
      Function<String, KeyValueBytesStoreSupplier> stores, int maxValueBytes) {
    StreamsBuilder builder = new StreamsBuilder();
    build(builder, topics, metrics, stores, maxValueBytes);
    return builder.build();
  }

  public static void build(StreamsBuilder builder, TopicNames topics, ProjectionMetrics metrics,
      Function<String, KeyValueBytesStoreSupplier> stores, int maxValueBytes) {
    // The state value is read and rewritten on every event of an incident: the cache absorbs hot keys.
    builder.addStateStore(Stores.keyValueStoreBuilder(
            stores.apply(StoreNames.STATE), Serdes.String(), ViewSerdes.state())
        .withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(
        stores.apply(StoreNames.TIMELINE), Serdes.Bytes(), ViewSerdes.timelineEntry()));
    // The latest episode changes with almost every event of its incident: cached, a busy episode reaches
    // RocksDB and its changelog once per commit, not once per event.
    builder.addStateStore(Stores.keyValueStoreBuilder(
            stores.apply(StoreNames.EPISODES), Serdes.Bytes(), ViewSerdes.episode())
        .withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(
        stores.apply(StoreNames.APPLIED), Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        stores.apply(StoreNames.CHECKPOINTS), Serdes.Bytes(), ViewSerdes.checkpoint()));
    // A status change lists an episode under a new key and unlists the old one: cached, a key listed and
    // unlisted within one commit never reaches RocksDB.
    builder.addStateStore(Stores.keyValueStoreBuilder(
            stores.apply(StoreNames.LISTING), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(
        stores.apply(StoreNames.MERGED), Serdes.Bytes(), ViewSerdes.mergedSignals()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        stores.apply(StoreNames.ITEMS), Serdes.Bytes(), Serdes.ByteArray()));
    // The episodes changed since the last publication of their views: cached, an episode noted and published
    // within one commit reaches the changelog once (as a tombstone); in memory, as it holds a commit's worth.
    builder.addStateStore(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(StoreNames.UNPUBLISHED), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingEnabled());
    // What a merge target passes on along a chain of merges, in order, until the next publication sends it.
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(StoreNames.RELAYS), Serdes.Bytes(), Serdes.ByteArray()));
    // The views the task read or wrote last as objects, shared by its two processors (no changelog).
    builder.addStateStore(TaskObjects.builder(StoreNames.OBJECTS, KafkaViewStore.RECENT));

    // Every source is keyed by incident id and partitioned alike, so one task sees all of an incident.
    KStream<String, byte[]> events = builder.stream(
        topics.sources(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("committed-events"));
    if (!topics.mirrored().isEmpty()) {
      events = events.processValues(() -> new MirrorLag(metrics, topics.mirrored()), Named.as("mirror-lag"));
    }
    String[] views = {StoreNames.STATE, StoreNames.TIMELINE, StoreNames.EPISODES, StoreNames.APPLIED,
        StoreNames.CHECKPOINTS, StoreNames.LISTING, StoreNames.MERGED, StoreNames.ITEMS, StoreNames.UNPUBLISHED,
        StoreNames.RELAYS, StoreNames.OBJECTS};
    KStream<String, ProjectionOutput> projected = events.process(
        () -> new IncidentProcessor(metrics, maxValueBytes), Named.as("incident-projector"), views);

    // A merged stream's signals go to the target's key through a repartition topic with the committed
    // topic's partition count, so the task that holds the target's views takes them, in the source's order.
    KStream<String, ProjectionOutput> received = projected
        .filter((key, out) -> out instanceof ProjectionOutput.Forward, Named.as("merge-forwards"))
        .mapValues(out -> ((ProjectionOutput.Forward) out).record(), Named.as("merge-forward-records"))
        .repartition(Repartitioned.<String, Forwarded>as(MERGED_SIGNALS)
            .withKeySerde(Serdes.String()).withValueSerde(ViewSerdes.forwarded()))
        .process(() -> new MergedSignalProcessor(metrics, maxValueBytes), Named.as("merged-signal-receiver"), views);
    KStream<String, ProjectionOutput> outputs = projected.merge(received, Named.as("projection-outputs"));

    outputs
        .filter((key, out) -> out instanceof ProjectionOutput.Derived, Named.as("derived-events"))
        .mapValues(out -> EventCodec.encode(((ProjectionOutput.Derived) out).event()), Named.as("derived-encoded"))
        .to(topics.actions(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("actions-sink"));

    // Keyed by incident and episode: compaction keeps every episode's latest view, a null deletes it.
    outputs
        .filter((key, out) -> out instanceof ProjectionOutput.EpisodeView, Named.as("episode-changes"))
        .mapValues(out -> ((ProjectionOutput.EpisodeView) out).view(), Named.as("episode-views"))
        .to(topics.incidents(), Produced.with(Serdes.String(), ViewSerdes.incidentView()).withName("incidents-sink"));

    outputs
        .filter((key, out) -> out instanceof ProjectionOutput.SampleChange, Named.as("sample-changes"))
        .mapValues(out -> ((ProjectionOutput.SampleChange) out).sample(), Named.as("samples"))
        .toTable(Named.as("samples-table"),
            Materialized.<String, EpisodeSample>as(stores.apply(StoreNames.SAMPLES))
                .withKeySerde(Serdes.String()).withValueSerde(ViewSerdes.sample()))
        .groupBy((episode, sample) -> KeyValue.pair(sample.bucket().encode(), sample),
            Grouped.with(SAMPLES_BY_BUCKET, Serdes.String(), ViewSerdes.sample()))
        .aggregate(
            () -> Bucket.EMPTY,
            (bucket, sample, sums) -> sums.plus(sample),
            (bucket, sample, sums) -> sums.minus(sample),
            Named.as("daily-buckets"),
            Materialized.<String, Bucket>as(stores.apply(StoreNames.BUCKETS))
                .withKeySerde(Serdes.String()).withValueSerde(ViewSerdes.bucket()));
  }
}
