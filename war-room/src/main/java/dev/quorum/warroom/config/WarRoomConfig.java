package dev.quorum.warroom.config;

import dev.quorum.event.Topics;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.Settings;
import dev.quorum.kit.http.BearerAuth;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The war room's configuration, parsed once at start-up; {@code kafka.client.*} passes any Kafka consumer
 * property through (SASL, SSL).
 */
public record WarRoomConfig(
    String host,
    int port,
    int opsPort,
    URI gatewayUrl,
    URI queryUrl,
    String clients,
    String clientsPepper,
    boolean secureCookies,
    Duration sessionIdle,
    int maxSessions,
    int maxStreams,
    Duration upstreamTimeout,
    String bootstrapServers,
    String incidentsTopic,
    String committedTopic,
    List<String> mirroredTopics,
    Map<String, String> kafkaClient,
    String describe) {

  public static final String OWN_PREFIX = "warroom.";
  public static final String KAFKA_PREFIX = "kafka.";
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  public static final ConfigKey<String> HOST = ConfigKey.text("warroom.http.host", "0.0.0.0", "address the web server binds");
  public static final ConfigKey<Integer> PORT = ConfigKey.integer("warroom.http.port", 8084, 0, 65_535,
      "port of the war room's pages, and of /metrics, /healthz and /readyz unless warroom.ops.port is set (0 picks a free one)");
  public static final ConfigKey<Integer> OPS_PORT = ConfigKey.integer("warroom.ops.port", -1, -1, 65_535,
      "a port of their own for /metrics, /healthz and /readyz, so that a public entry to the pages does not publish "
          + "them; -1 serves them on warroom.http.port");
  public static final ConfigKey<URI> GATEWAY = ConfigKey.uri("warroom.gateway.url", null,
      "the gateway's base URL: actions go to its /v1/events with the responder's own token").required();
  public static final ConfigKey<URI> QUERY = ConfigKey.uri("warroom.query.url", null,
      "the projection's query API base URL: reads go there with the responder's own token").required();
  public static final ConfigKey<String> CLIENTS = ConfigKey.secret("warroom.clients",
      "the responders who may sign in, hashed, in the gateway's format (id:sha256hex;actor=user:..;scopes=publish+read); "
          + "a token needs both scopes");
  public static final ConfigKey<String> CLIENTS_PEPPER = ConfigKey.secret("warroom.clients.pepper",
      "the pepper the client hashes were made with; empty for plain SHA-256");
  public static final ConfigKey<Boolean> SECURE_COOKIES = ConfigKey.bool("warroom.cookie.secure", false,
      "mark the session cookie Secure (set it when the war room is served over TLS, directly or behind a proxy); "
          + "a request that arrives over TLS gets it anyway");
  public static final ConfigKey<Duration> SESSION_IDLE = ConfigKey.duration("warroom.session.idle", "12h",
      Duration.ofMinutes(1), Duration.ofDays(7), "a session unused this long is forgotten (sign in again)");
  public static final ConfigKey<Integer> MAX_SESSIONS = ConfigKey.integer("warroom.session.max", 10_000, 1, 1_000_000,
      "most sessions held at once; a sign-in beyond it ends the least recently used one");
  public static final ConfigKey<Integer> MAX_STREAMS = ConfigKey.integer("warroom.stream.max", 1_000, 1, 100_000,
      "most live update streams (open pages) at once; one more is refused with 503");
  public static final ConfigKey<Duration> UPSTREAM_TIMEOUT = ConfigKey.duration("warroom.upstream.timeout", "5s",
      Duration.ofMillis(100), Duration.ofMinutes(1), "how long a read or an action waits for the query API or the gateway");
  public static final ConfigKey<String> BOOTSTRAP = ConfigKey.text("kafka.bootstrap.servers", null, "Kafka bootstrap servers").required();
  public static final ConfigKey<String> INCIDENTS_TOPIC = ConfigKey.text("warroom.topic.incidents", Topics.INCIDENTS,
      "the projection's compacted incidents topic: the board's live changes");
  public static final ConfigKey<String> COMMITTED_TOPIC = ConfigKey.text("warroom.topic.committed", Topics.COMMITTED,
      "the committed events topic: every stored event, for the incident page's live timeline");

  public static final ConfigKey<List<String>> MIRRORED_TOPICS = ConfigKey.list("warroom.topic.mirrored", "",
      "other regions' committed topics mirrored into this cluster (as the projection's projection.topic.mirrored): "
          + "their events update open incident pages too");

  public static final List<ConfigKey<?>> KEYS = List.of(HOST, PORT, OPS_PORT, GATEWAY, QUERY, CLIENTS, CLIENTS_PEPPER, SECURE_COOKIES,
      SESSION_IDLE, MAX_SESSIONS, MAX_STREAMS, UPSTREAM_TIMEOUT, BOOTSTRAP, INCIDENTS_TOPIC, COMMITTED_TOPIC, MIRRORED_TOPICS);
  public static final List<String> OWN_PREFIXES = List.of(OWN_PREFIX, KAFKA_PREFIX);
  public static final List<String> PASS_THROUGH = List.of(KAFKA_CLIENT_PREFIX);

  /**
   * Parses merged key-value pairs.
   *
   * @throws ConfigException naming every bad key and its value
   */
  public static WarRoomConfig parse(Map<String, String> raw) {
    Settings settings = Settings.parse(KEYS, OWN_PREFIXES, PASS_THROUGH, raw);
    String clients = BearerAuth.checkedClients(settings, CLIENTS, CLIENTS_PEPPER);
    return new WarRoomConfig(settings.get(HOST), settings.get(PORT), settings.get(OPS_PORT), settings.get(GATEWAY), settings.get(QUERY), clients,
        settings.get(CLIENTS_PEPPER), settings.get(SECURE_COOKIES), settings.get(SESSION_IDLE), settings.get(MAX_SESSIONS),
        settings.get(MAX_STREAMS), settings.get(UPSTREAM_TIMEOUT), settings.get(BOOTSTRAP), settings.get(INCIDENTS_TOPIC),
        settings.get(COMMITTED_TOPIC), settings.get(MIRRORED_TOPICS), settings.withPrefix(KAFKA_CLIENT_PREFIX), settings.describe());
  }

  /** The responders, ready to check a token at sign-in. */
  public BearerAuth auth() {
    return BearerAuth.parse(clients, clientsPepper);
  }

  @Override
  public String toString() {
    // the record's own toString would print the client hashes
    return "WarRoomConfig{\n" + describe + "\n}";
  }
}
