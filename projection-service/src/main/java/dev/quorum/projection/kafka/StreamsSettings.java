package dev.quorum.projection.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/** The Kafka Streams properties of the projection: exactly-once v2, the query address, then overrides. */
public final class StreamsSettings {
  private StreamsSettings() {}

  public static Properties properties(
      String bootstrapServers, String applicationId, Path stateDir, int threads, long commitIntervalMs,
      int standbyReplicas, short replication, HostInfo advertised, Map<String, String> overrides) {
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication);
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
    // Committed events are read from the start of the topic: the views are a fold of all of them.
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.putAll(overrides);
    return props;
  }
}
