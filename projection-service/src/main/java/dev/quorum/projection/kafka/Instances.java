package dev.quorum.projection.kafka;

import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds which partition of a view store, from the Streams metadata: each instance
 * advertises its query API as {@code application.server}, and a partition is served by the instance
 * running its active task (never by a standby).
 */
public final class Instances {
  private static final StringSerializer KEYS = new StringSerializer();

  private final KafkaStreams streams;
  private final HostInfo self;
  private final Set<String> incidentSources;
  private final Set<String> bucketSources;
  private final int partitions;

  /**
   * @param partitions the partition count of the committed topic: every view store has that many partitions
   */
  public Instances(KafkaStreams streams, HostInfo self, TopicNames topics, String applicationId, int partitions) {
    this.streams = streams;
    this.self = self;
    this.incidentSources = Set.of(topics.committed(), topics.rebuild());
    this.bucketSources = Set.of(ProjectionTopology.bucketRepartitionTopic(applicationId));
    if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
    this.partitions = partitions;
  }

  /** Where one incident lives: the partition of its views and the instance whose active task holds it. */
  public record Owner(HostInfo host, int partition) {}

  public HostInfo self() {
    return self;
  }

  public boolean isSelf(HostInfo host) {
    return self.equals(host);
  }

  public int partitions() {
    return partitions;
  }

  /** The owner of the incident, or empty while the group rebalances. */
  public Optional<Owner> owner(UUID incidentId) {
    KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.STATE, incidentId.toString(), KEYS);
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.partition() < 0) {
      return Optional.empty();
    }
    return Optional.of(new Owner(metadata.activeHost(), metadata.partition()));
  }

  /**
   * Partition → the instance running its active task, for the incident views ({@code buckets} false) or
   * the analytics buckets; a partition that no instance runs yet is absent.
   */
  public Map<Integer, HostInfo> activeOwners(boolean buckets) {
    String store = buckets ? StoreNames.BUCKETS : StoreNames.EPISODES;
    Set<String> sources = buckets ? bucketSources : incidentSources;
    Map<Integer, HostInfo> owners = new TreeMap<>();
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
      for (TopicPartition partition : metadata.topicPartitions()) {
        if (sources.contains(partition.topic())) owners.put(partition.partition(), metadata.hostInfo());
      }
    }
    return owners;
  }
}
