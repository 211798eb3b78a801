package dev.quorum.projection.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/** The Kafka Streams properties of the projection: exactly-once v2, the query address, then overrides. */
public final class StreamsSettings {
  /** The producer's batch per partition: 256 KiB. */
  static final int PRODUCER_BATCH_BYTES = 256 * 1024;

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
    // A task reads the committed and the rebuild topic; the fold orders events by their own keys, so it
    // need not wait to learn whether the other (usually empty) partition has data: waiting held each event
    // until an empty fetch came back (up to fetch.max.wait.ms, 500 ms).
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // Every event sends a timeline and an event-id changelog record and an incident view (about 3 KB in
    // all) to a few dozen partitions; with the default 16 KiB batches each commit interval took thousands
    // of produce requests, and the broker spent more CPU per event on them than the stream thread did.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
    props.putAll(overrides);
    return props;
  }
}
