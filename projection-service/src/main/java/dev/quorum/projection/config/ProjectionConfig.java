package dev.quorum.projection.config;

import dev.quorum.event.Topics;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The projection's configuration, parsed once at start-up from properties (file, environment, system
 * properties) into a final record; every key is listed in {@link #KEYS} with its type, default and meaning.
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
    String dbUrl,
    String dbUser,
    String dbPassword,
    String authTokens,
    Map<String, String> streamsOverrides) {

  public static final String STREAMS_PREFIX = "projection.streams.";

  public static final ConfigKey<String> BOOTSTRAP_SERVERS = key("kafka.bootstrap.servers", Function.identity(), null, true,
      "Kafka bootstrap servers, host:port[,host:port]");
  public static final ConfigKey<String> APPLICATION_ID = key("projection.application.id", Function.identity(), "quorum-projection", false,
      "Kafka Streams application.id: names the group, the changelogs and a generation of the views");
  public static final ConfigKey<String> TOPIC_COMMITTED = key("projection.topic.committed", Function.identity(), Topics.COMMITTED, false,
      "the committed events topic the views fold");
  public static final ConfigKey<String> TOPIC_REBUILD = key("projection.topic.rebuild", Function.identity(), TopicNames.REBUILD, false,
      "the topic a rebuild sends stored events to; partitioned like the committed topic");
  public static final ConfigKey<String> TOPIC_INCIDENTS = key("projection.topic.incidents", Function.identity(), Topics.INCIDENTS, false,
      "the compacted topic of every incident's latest view");
  public static final ConfigKey<Boolean> CREATE_TOPICS = key("projection.topics.create", ProjectionConfig::bool, "true", false,
      "create the rebuild and incidents topics at start-up when missing");
  public static final ConfigKey<Integer> TOPIC_PARTITIONS = key("projection.topics.partitions", s -> positive(Integer.parseInt(s)), "6", false,
      "partitions of topics created here when the committed topic does not exist yet (else its count)");
  public static final ConfigKey<Short> TOPIC_REPLICATION = key("projection.topics.replication", s -> replication(Short.parseShort(s)), "-1", false,
      "replication factor of topics created here; -1 takes the broker's default");
  public static final ConfigKey<Path> STATE_DIR = key("projection.state.dir", Path::of,
      System.getProperty("java.io.tmpdir") + "/quorum-projection", false, "where RocksDB keeps the state stores");
  public static final ConfigKey<Integer> STREAM_THREADS = key("projection.stream.threads", s -> positive(Integer.parseInt(s)), "1", false,
      "Kafka Streams processing threads");
  public static final ConfigKey<Long> COMMIT_INTERVAL_MS = key("projection.commit.interval.ms", s -> (long) positive(Integer.parseInt(s)), "100", false,
      "how often a transaction commits (exactly_once_v2): bounds the lag a reader of the views sees");
  public static final ConfigKey<Integer> STANDBY_REPLICAS = key("projection.standby.replicas", s -> atLeastZero(Integer.parseInt(s)), "0", false,
      "warm copies of each store on other instances, for fast fail-over");
  public static final ConfigKey<String> HTTP_HOST = key("projection.http.host", Function.identity(), "0.0.0.0", false,
      "address the query API binds");
  public static final ConfigKey<Integer> HTTP_PORT = key("projection.http.port", s -> port(Integer.parseInt(s)), "8083", false,
      "port of the query API (and /metrics, /healthz, /readyz); 0 picks a free one");
  public static final ConfigKey<String> HTTP_ADVERTISED = key("projection.http.advertised", Function.identity(), null, false,
      "host:port other instances use to reach this one (application.server); default localhost:<port>");
  public static final ConfigKey<Duration> PEER_TIMEOUT = key("projection.http.peer.timeout", ProjectionConfig::positiveDuration, "5s", false,
      "how long to wait for another instance's answer");
  public static final ConfigKey<Duration> ASOF_SETTLE = key("db.transaction.cap", ProjectionConfig::positiveDuration, "30s", false,
      "the writer's transaction cap (its db.transaction.cap): a RECORDED as-of answer for T is settled once T is older");
  public static final ConfigKey<String> DB_URL = key("db.url", ProjectionConfig::jdbcUrl, null, false,
      "JDBC URL of the event log, jdbc:postgresql://host:port/db; as-of, /v1/events, rebuild and replay need it");
  public static final ConfigKey<String> DB_USER = key("db.username", Function.identity(), "postgres", false,
      "database user");
  public static final ConfigKey<String> DB_PASSWORD = secret("db.password",
      "database password (PostgreSQL; DSQL uses IAM tokens instead)");
  public static final ConfigKey<String> AUTH_TOKENS = secret("projection.auth.tokens",
      "bearer tokens accepted by the query API, as the gateway takes them");

  public static final List<ConfigKey<?>> KEYS = List.of(
      BOOTSTRAP_SERVERS, APPLICATION_ID, TOPIC_COMMITTED, TOPIC_REBUILD, TOPIC_INCIDENTS, CREATE_TOPICS, TOPIC_PARTITIONS,
      TOPIC_REPLICATION, STATE_DIR, STREAM_THREADS, COMMIT_INTERVAL_MS, STANDBY_REPLICAS, HTTP_HOST, HTTP_PORT,
      HTTP_ADVERTISED, PEER_TIMEOUT, ASOF_SETTLE, DB_URL, DB_USER, DB_PASSWORD, AUTH_TOKENS);

  public ProjectionConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    streamsOverrides = Map.copyOf(streamsOverrides);
  }

  /** Parses and validates every key; {@link IllegalArgumentException} names the first bad one. */
  public static ProjectionConfig parse(Map<String, String> source) {
    for (String name : source.keySet()) {
      // Keys of other components (a shared file may configure the writer too) are theirs to check.
      if (name.startsWith("projection.") && !name.startsWith(STREAMS_PREFIX)
          && KEYS.stream().noneMatch(k -> k.name().equals(name))) {
        throw new IllegalArgumentException(name + " is not a projection setting; known: "
            + KEYS.stream().map(ConfigKey::name).toList());
      }
    }
    int port = HTTP_PORT.read(source);
    String advertised = HTTP_ADVERTISED.read(source);
    Map<String, String> overrides = new TreeMap<>();
    source.forEach((k, v) -> {
      if (k.startsWith(STREAMS_PREFIX)) overrides.put(k.substring(STREAMS_PREFIX.length()), v);
    });
    return new ProjectionConfig(
        BOOTSTRAP_SERVERS.read(source),
        APPLICATION_ID.read(source),
        new TopicNames(TOPIC_COMMITTED.read(source), TOPIC_REBUILD.read(source), TOPIC_INCIDENTS.read(source)),
        CREATE_TOPICS.read(source),
        TOPIC_PARTITIONS.read(source),
        TOPIC_REPLICATION.read(source),
        STATE_DIR.read(source),
        STREAM_THREADS.read(source),
        COMMIT_INTERVAL_MS.read(source),
        STANDBY_REPLICAS.read(source),
        HTTP_HOST.read(source),
        port,
        advertised == null ? new HostInfo("localhost", port) : hostInfo(advertised),
        PEER_TIMEOUT.read(source),
        ASOF_SETTLE.read(source),
        DB_URL.read(source),
        DB_USER.read(source),
        DB_PASSWORD.read(source),
        AUTH_TOKENS.read(source),
        overrides);
  }

  /** The same configuration with another advertised address (once a port picked at random is known). */
  public ProjectionConfig withAdvertised(HostInfo address) {
    return new ProjectionConfig(bootstrapServers, applicationId, topics, createTopics, topicPartitions, topicReplication,
        stateDir, streamThreads, commitIntervalMs, standbyReplicas, httpHost, address.port(), address, peerTimeout,
        asOfSettle, dbUrl, dbUser, dbPassword, authTokens, streamsOverrides);
  }

  /** Every key with its effective value, secrets masked: what the service logs at start-up. */
  public Map<String, String> describe() {
    Map<String, String> described = new LinkedHashMap<>();
    described.put(BOOTSTRAP_SERVERS.name(), bootstrapServers);
    described.put(APPLICATION_ID.name(), applicationId);
    described.put(TOPIC_COMMITTED.name(), topics.committed());
    described.put(TOPIC_REBUILD.name(), topics.rebuild());
    described.put(TOPIC_INCIDENTS.name(), topics.incidents());
    described.put(CREATE_TOPICS.name(), String.valueOf(createTopics));
    described.put(TOPIC_PARTITIONS.name(), String.valueOf(topicPartitions));
    described.put(TOPIC_REPLICATION.name(), String.valueOf(topicReplication));
    described.put(STATE_DIR.name(), stateDir.toString());
    described.put(STREAM_THREADS.name(), String.valueOf(streamThreads));
    described.put(COMMIT_INTERVAL_MS.name(), String.valueOf(commitIntervalMs));
    described.put(STANDBY_REPLICAS.name(), String.valueOf(standbyReplicas));
    described.put(HTTP_HOST.name(), httpHost);
    described.put(HTTP_PORT.name(), String.valueOf(httpPort));
    described.put(HTTP_ADVERTISED.name(), advertised.host() + ":" + advertised.port());
    described.put(PEER_TIMEOUT.name(), peerTimeout.toString());
    described.put(ASOF_SETTLE.name(), asOfSettle.toString());
    described.put(DB_URL.name(), String.valueOf(dbUrl));
    described.put(DB_USER.name(), dbUser);
    described.put(DB_PASSWORD.name(), dbPassword == null ? "<none>" : "****");
    described.put(AUTH_TOKENS.name(), authTokens == null ? "<none>" : "****");
    streamsOverrides.forEach((k, v) -> described.put(STREAMS_PREFIX + k, masked(k, v)));
    return described;
  }

  @Override
  public String toString() {
    return "ProjectionConfig" + describe();
  }

  // ------------------------------------------------------------------ parsers

  private static <T> ConfigKey<T> key(String name, Function<String, T> parser, String defaultValue, boolean required, String description) {
    return new ConfigKey<>(name, parser, defaultValue, required, false, description);
  }

  private static ConfigKey<String> secret(String name, String description) {
    return new ConfigKey<>(name, Function.identity(), null, false, true, description);
  }

  private static boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static int positive(int value) {
    if (value < 1) throw new IllegalArgumentException("must be >= 1");
    return value;
  }

  private static int atLeastZero(int value) {
    if (value < 0) throw new IllegalArgumentException("must be >= 0");
    return value;
  }

  private static int port(int value) {
    if (value < 0 || value > 65_535) throw new IllegalArgumentException("must be a port number, 0 to 65535");
    return value;
  }

  private static short replication(short value) {
    if (value == 0 || value < -1) throw new IllegalArgumentException("must be -1 or >= 1");
    return value;
  }

  /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
  static Duration positiveDuration(String s) {
    Duration d;
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else {
      d = Duration.parse(s);
    }
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be a positive duration such as 30s or PT30S");
    return d;
  }

  private static String jdbcUrl(String s) {
    if (!s.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("must start with jdbc:postgresql:");
    return s;
  }

  static HostInfo hostInfo(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 1) throw new IllegalArgumentException(HTTP_ADVERTISED.name() + " must be host:port, was " + text);
    return new HostInfo(text.substring(0, colon), port(Integer.parseInt(text.substring(colon + 1))));
  }

  private static String masked(String key, String value) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token") ? "****" : value;
  }
}
