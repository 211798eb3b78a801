package dev.quorum.projection.kafka;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds which incident, from the Streams metadata: each instance advertises its query
 * API as {@code application.server}, and an incident lives with the active task of its partition.
 */
public final class Instances {
  private static final StringSerializer KEYS = new StringSerializer();

  private final KafkaStreams streams;
  private final HostInfo self;

  public Instances(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  public HostInfo self() {
    return self;
  }

  public boolean isSelf(HostInfo host) {
    return self.equals(host);
  }

  /** The instance whose active task holds the incident, or empty while the group rebalances. */
  public Optional<HostInfo> owner(UUID incidentId) {
    KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.STATE, incidentId.toString(), KEYS);
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) return Optional.empty();
    return Optional.of(metadata.activeHost());
  }

  /** Every instance of the application that holds a view store, this one included. */
  public List<HostInfo> all() {
    Set<HostInfo> hosts = new LinkedHashSet<>();
    hosts.add(self);
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(StoreNames.EPISODES)) hosts.add(metadata.hostInfo());
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(StoreNames.BUCKETS)) hosts.add(metadata.hostInfo());
    return List.copyOf(hosts);
  }
}
