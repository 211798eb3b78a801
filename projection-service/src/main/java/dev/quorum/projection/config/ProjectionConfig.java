package dev.quorum.projection.config;

import dev.quorum.event.Topics;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.config.Settings;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.store.config.DatabaseKeys;
import dev.quorum.store.config.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The projection's configuration, parsed once at start-up into a final record; every key is declared
 * in {@link #KEYS} with its type, default, validation and meaning. {@code kafka.bootstrap.servers} and
 * {@code db.*} are named as the writer names them, so one file can configure both.
 */
public record ProjectionConfig(
    String bootstrapServers,
    String applicationId,
    TopicNames topics,
    boolean createTopics,
    int topicPartitions,
    short topicReplication,
    Path stateDir,
    int streamThreads,
    long commitIntervalMs,
    int standbyReplicas,
    String httpHost,
    int httpPort,
    HostInfo advertised,
    Duration peerTimeout,
    Duration asOfSettle,
    boolean asOfFromViews,
    DatabaseSettings database,
    String clients,
    Map<String, String> streamsOverrides,
    String description) {

  /** Kafka Streams properties, passed through without the prefix. */
  public static final String STREAMS_PREFIX = "projection.streams.";
  /** Undeclared keys under these prefixes are refused as typos. */
  public static final List<String> OWN_PREFIXES = List.of("projection.");
  /** What the sources are read for: the projection's keys and the ones it shares with the writer. */
  private static final List<String> READ_PREFIXES = List.of("projection.", "db.", "kafka.");

  public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.text("kafka.bootstrap.servers", null,
      "Kafka bootstrap servers, host:port[,host:port]");
  public static final ConfigKey<String> APPLICATION_ID = ConfigKey.text("projection.application.id", "quorum-projection",
      "Kafka Streams application.id: names the group, the changelogs and so one generation of the views");
  public static final ConfigKey<String> TOPIC_COMMITTED = ConfigKey.text("projection.topic.committed", Topics.COMMITTED,
      "the committed events topic the views fold");
  public static final ConfigKey<List<String>> TOPIC_MIRRORED = ConfigKey.list("projection.topic.mirrored", "",
      "other regions' committed topics mirrored into this cluster (MirrorMaker 2: <region>." + Topics.COMMITTED
          + "), folded with this region's; empty in one region");
  public static final ConfigKey<String> TOPIC_REBUILD = ConfigKey.text("projection.topic.rebuild", TopicNames.REBUILD,
      "where `rebuild` sends stored events; partitioned like the committed topic and folded alike");
  public static final ConfigKey<String> TOPIC_INCIDENTS = ConfigKey.text("projection.topic.incidents", Topics.INCIDENTS,
      "the compacted topic of every incident's latest view");
  public static final ConfigKey<String> TOPIC_ACTIONS = ConfigKey.text("projection.topic.actions", Topics.ACTIONS,
      "the actions topic, where the projection asks to store the end of alerts a merge target ended (ADR 7)");
  public static final ConfigKey<Boolean> CREATE_TOPICS = ConfigKey.bool("projection.topics.create", true,
      "create the committed, rebuild and incidents topics at start-up when missing");
  public static final ConfigKey<Integer> TOPIC_PARTITIONS = ConfigKey.integer("projection.topics.partitions", 6, 1, 10_000,
      "partitions of topics created here while the committed topic does not exist (else its count)");
  public static final ConfigKey<Short> TOPIC_REPLICATION = new ConfigKey<>("projection.topics.replication", Short::valueOf,
      "-1", v -> v == -1 || v >= 1, "must be -1 or >= 1",
      "replication factor of topics created here and of internal topics; -1 takes the broker's default", false);
  public static final ConfigKey<Path> STATE_DIR = new ConfigKey<>("projection.state.dir", Path::of,
      System.getProperty("java.io.tmpdir") + "/quorum-projection", p -> true, "", "where RocksDB keeps the state stores",
      false);
  public static final ConfigKey<Integer> STREAM_THREADS = ConfigKey.integer("projection.stream.threads", 1, 1, 64,
      "Kafka Streams processing threads");
  public static final ConfigKey<Long> COMMIT_INTERVAL_MS = ConfigKey.longInteger("projection.commit.interval.ms", 1_000, 1,
      600_000, "how often a transaction commits (exactly_once_v2) and the changed episodes' views go to the incidents"
          + " topic: how far that topic trails the views, and how much an instance that dies un-applies (its"
          + " successor answers 503 until it has applied it again); longer folds faster");
  public static final ConfigKey<Integer> STANDBY_REPLICAS = ConfigKey.integer("projection.standby.replicas", 0, 0, 10,
      "warm copies of each store on other instances, for fast fail-over");
  public static final ConfigKey<String> HTTP_HOST = ConfigKey.text("projection.http.host", "0.0.0.0",
      "address the HTTP server binds");
  public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("projection.http.port", 8083, 0, 65_535,
      "port of the query API, /metrics, /healthz and /readyz; 0 picks a free one");
  public static final ConfigKey<String> HTTP_ADVERTISED = new ConfigKey<>("projection.http.advertised", s -> s, "",
      s -> s.isEmpty() || s.matches(".+:\\d{1,5}"), "must be host:port",
      "host:port other instances reach this one at (application.server); empty: localhost and the bound port", false);
  public static final ConfigKey<String> HTTP_CLIENTS = ConfigKey.secret("projection.http.clients",
      "clients of the query API, clientId:sha256hex[...] as for the gateway; they need the scope read");
  public static final ConfigKey<Duration> PEER_TIMEOUT = ConfigKey.duration("projection.http.peer.timeout", "5s",
      Duration.ofMillis(1), Duration.ofMinutes(5), "how long to wait for another instance's answer");
  public static final ConfigKey<Duration> ASOF_SETTLE = ConfigKey.duration("db.transaction.cap", "30s",
      Duration.ofMillis(1), Duration.ofMinutes(4),
      "the writer's transaction cap: a RECORDED as-of answer for T is settled once T is older than this");
  public static final ConfigKey<Boolean> ASOF_VIEWS = ConfigKey.bool("projection.as-of.views", true,
      "answer settled RECORDED as-of queries from the views' checkpoints when they hold every event up to the"
          + " instant (ADR 8); off while a rebuild fills views that lack history, always off with mirrored topics");
  // The event log is reached as the writer reaches it: event-store's db.* keys, one definition for both.
  public static final ConfigKey<String> DB_URL = DatabaseKeys.URL;

  public static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(
      BOOTSTRAP_SERVERS, APPLICATION_ID, TOPIC_COMMITTED, TOPIC_MIRRORED, TOPIC_REBUILD, TOPIC_INCIDENTS, TOPIC_ACTIONS, CREATE_TOPICS, TOPIC_PARTITIONS,
      TOPIC_REPLICATION, STATE_DIR, STREAM_THREADS, COMMIT_INTERVAL_MS, STANDBY_REPLICAS, HTTP_HOST, HTTP_PORT,
      HTTP_ADVERTISED, HTTP_CLIENTS, PEER_TIMEOUT, ASOF_SETTLE, ASOF_VIEWS), DatabaseKeys.CONNECTION.stream()).toList();

  public ProjectionConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    streamsOverrides = Map.copyOf(streamsOverrides);
  }

  /** Reads the sources (file, QUORUM_* environment, system properties, then {@code definitions}) and parses them. */
  public static ProjectionConfig load(Path file, Map<String, String> environment, Properties system,
      Map<String, String> definitions) {
    Map<String, String> raw = ConfigSources.merge(file, environment, system, KEYS, READ_PREFIXES, List.of(STREAMS_PREFIX));
    raw.putAll(definitions);
    return parse(raw);
  }

  /**
   * Parses merged key-value pairs; a {@link dev.quorum.kit.config.ConfigException} names every bad key.
   * Keys of other components ({@code writer.*}, the writer's other {@code db.*}) are left to them.
   */
  public static ProjectionConfig parse(Map<String, String> raw) {
    Settings settings = Settings.parse(KEYS, OWN_PREFIXES, List.of(STREAMS_PREFIX), raw);
    int port = settings.get(HTTP_PORT);
    String advertised = settings.get(HTTP_ADVERTISED);
    return new ProjectionConfig(
        settings.get(BOOTSTRAP_SERVERS),
        settings.get(APPLICATION_ID),
        new TopicNames(settings.get(TOPIC_COMMITTED), settings.get(TOPIC_REBUILD), settings.get(TOPIC_INCIDENTS),
            settings.get(TOPIC_ACTIONS), settings.get(TOPIC_MIRRORED)),
        settings.get(CREATE_TOPICS),
        settings.get(TOPIC_PARTITIONS),
        settings.get(TOPIC_REPLICATION),
        settings.get(STATE_DIR),
        settings.get(STREAM_THREADS),
        settings.get(COMMIT_INTERVAL_MS),
        settings.get(STANDBY_REPLICAS),
        settings.get(HTTP_HOST),
        port,
        advertised.isEmpty() ? new HostInfo("localhost", port) : hostInfo(advertised),
        settings.get(PEER_TIMEOUT),
        settings.get(ASOF_SETTLE),
        settings.get(ASOF_VIEWS),
        database(settings),
        settings.get(HTTP_CLIENTS),
        settings.withPrefix(STREAMS_PREFIX),
        settings.describe());
  }

  /** Every key with its effective value, one per line, secrets masked: what the service logs at start-up. */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return "ProjectionConfig{\n" + description + "\n}";
  }

  private static HostInfo hostInfo(String text) {
    int colon = text.lastIndexOf(':');
    return new HostInfo(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }

  /** The event log's connection settings, or null when none is configured (postgresql mode without a URL). */
  private static DatabaseSettings database(Settings settings) {
    return DatabaseKeys.ifConfigured(settings).orElse(null);
  }
}
