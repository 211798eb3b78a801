package dev.quorum.ingest.config;

import dev.quorum.event.Topics;
import dev.quorum.ingest.kafka.PublisherConfig;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.Settings;
import dev.quorum.kit.http.BearerAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's configuration, parsed once at start-up: every key with its type, default, validation
 * and description; {@code kafka.client.*} passes any Kafka producer property through (SASL, SSL).
 */
public record GatewayConfig(
    String host,
    int port,
    String opsHost,
    int opsPort,
    long maxBodyBytes,
    long alertmanagerMaxBodyBytes,
    int maxBatch,
    String clients,
    String clientsPepper,
    PublisherConfig publisher,
    Duration retryAfter,
    int breakerFailures,
    Duration breakerWait,
    Duration readinessTimeout,
    String slackSigningSecret,
    Duration slackMaxSkew,
    Duration slackReplyBudget,
    Path slackBindingsFile,
    String slackBindingsTopic,
    Map<String, UUID> slackBindings,
    String describe) {

  public static final String OWN_PREFIX = "gateway.";
  public static final String KAFKA_PREFIX = "kafka.";
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  public static final ConfigKey<String> HOST = ConfigKey.text("gateway.http.host", "0.0.0.0", "address the HTTP server binds");
  public static final ConfigKey<Integer> PORT = ConfigKey.integer("gateway.http.port", 8080, 0, 65_535, "HTTP port (0 picks a free one)");
  public static final ConfigKey<String> OPS_HOST = ConfigKey.text("gateway.ops.host", "0.0.0.0",
      "address the ops server (/metrics, /healthz, /readyz, /openapi.json) binds");
  public static final ConfigKey<Integer> OPS_PORT = ConfigKey.integer("gateway.ops.port", 8090, 0, 65_535,
      "port of /metrics, /healthz, /readyz and /openapi.json, kept off the public port (0 picks a free one)");
  public static final ConfigKey<Long> MAX_BODY = ConfigKey.longInteger("gateway.http.max.body.bytes", 1024 * 1024, 1024, 64L * 1024 * 1024,
      "largest request body accepted on /v1/events, PagerDuty and Slack; larger ones get a 413");
  public static final ConfigKey<Long> ALERTMANAGER_MAX_BODY = ConfigKey.longInteger("gateway.alertmanager.max.body.bytes",
      32L * 1024 * 1024, 1024, 256L * 1024 * 1024,
      "largest Alertmanager webhook accepted (Alertmanager does not retry a 413: a large group would be lost)");
  public static final ConfigKey<Integer> MAX_BATCH = ConfigKey.integer("gateway.events.batch.max", 100, 1, 10_000,
      "most events in one CloudEvents batch on /v1/events");
  public static final ConfigKey<String> CLIENTS = ConfigKey.secret("gateway.clients",
      "client tokens, hashed: id:sha256hex[;source=..][;actor=..][;scopes=publish+act-on-behalf], comma-separated");
  public static final ConfigKey<String> CLIENTS_PEPPER = ConfigKey.secret("gateway.clients.pepper",
      "the pepper the client hashes were made with (TokenHasher --pepper-env); empty for plain SHA-256");
  public static final ConfigKey<String> BOOTSTRAP = ConfigKey.text("kafka.bootstrap.servers", null, "Kafka bootstrap servers");
  public static final ConfigKey<String> TOPIC = ConfigKey.text("gateway.topic.actions", Topics.ACTIONS, "the actions topic (LogAppendTime)");
  public static final ConfigKey<String> CLIENT_ID = ConfigKey.text("gateway.kafka.client.id", "quorum-gateway", "the producer's client.id");
  public static final ConfigKey<Duration> DELIVERY_TIMEOUT = ConfigKey.duration("gateway.kafka.delivery.timeout", "5s",
      Duration.ofSeconds(1), Duration.ofMinutes(2), "how long Kafka may take to acknowledge, retries included, before a 503");
  public static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.duration("gateway.kafka.request.timeout", "2s",
      Duration.ofMillis(500), Duration.ofMinutes(1), "how long one produce request waits for the broker");
  public static final ConfigKey<Duration> MAX_BLOCK = ConfigKey.duration("gateway.kafka.max.block", "3s",
      Duration.ofMillis(100), Duration.ofMinutes(1), "how long a send may wait for metadata (an unknown or unreachable cluster)");
  public static final ConfigKey<Duration> LINGER = ConfigKey.duration("gateway.kafka.linger", "5ms",
      Duration.ZERO, Duration.ofSeconds(1), "how long a record waits for others to share its batch");
  public static final ConfigKey<Duration> RETRY_AFTER = ConfigKey.duration("gateway.retry.after", "5s",
      Duration.ofSeconds(1), Duration.ofHours(1), "the Retry-After of a 503 while Kafka is unavailable");
  public static final ConfigKey<Integer> BREAKER_FAILURES = ConfigKey.integer("gateway.kafka.breaker.failures", 2, 1, 100,
      "after this many publications in a row that Kafka did not acknowledge, answer 503 at once until a probe succeeds");
  public static final ConfigKey<Duration> BREAKER_WAIT = ConfigKey.duration("gateway.kafka.breaker.wait", "5s",
      Duration.ofMillis(100), Duration.ofMinutes(10), "how long 503s are answered at once before one request probes Kafka again");
  public static final ConfigKey<Duration> READINESS_TIMEOUT = ConfigKey.duration("gateway.readiness.timeout", "2s",
      Duration.ofMillis(100), Duration.ofSeconds(30), "how long /readyz waits for Kafka to answer");
  public static final ConfigKey<String> SLACK_SECRET = ConfigKey.secret("gateway.slack.signing.secret",
      "the Slack app's signing secret; empty disables /v1/integrations/slack");
  public static final ConfigKey<Duration> SLACK_MAX_SKEW = ConfigKey.duration("gateway.slack.max.skew", "5m",
      Duration.ofSeconds(1), Duration.ofMinutes(5), "how far a Slack request timestamp may be from now, either way");
  public static final ConfigKey<Duration> SLACK_REPLY_BUDGET = ConfigKey.duration("gateway.slack.reply.budget", "2500ms",
      Duration.ofMillis(100), Duration.ofMillis(2900), "how long a slash command waits for Kafka before answering (Slack allows 3 s)");
  public static final ConfigKey<String> SLACK_BINDINGS_FILE = ConfigKey.optionalText("gateway.slack.bindings.file",
      "file that keeps the channel bindings of a single gateway instead of the shared topic; empty: the topic");
  public static final ConfigKey<String> SLACK_BINDINGS_TOPIC = ConfigKey.text("gateway.slack.bindings.topic", "quorum.slack.bindings.v1",
      "compacted topic that keeps channel bindings made in Slack, shared by every replica (created if missing)");
  public static final ConfigKey<List<String>> SLACK_BINDINGS = ConfigKey.list("gateway.slack.bindings", "",
      "configured channel bindings: [team/]channel=incident-uuid, comma-separated");

  public static final List<ConfigKey<?>> KEYS = List.of(HOST, PORT, OPS_HOST, OPS_PORT, MAX_BODY, ALERTMANAGER_MAX_BODY,
      BREAKER_FAILURES, BREAKER_WAIT, MAX_BATCH, CLIENTS, CLIENTS_PEPPER, BOOTSTRAP, TOPIC, CLIENT_ID,
      DELIVERY_TIMEOUT, REQUEST_TIMEOUT, MAX_BLOCK, LINGER, RETRY_AFTER, READINESS_TIMEOUT, SLACK_SECRET, SLACK_MAX_SKEW,
      SLACK_REPLY_BUDGET, SLACK_BINDINGS_FILE, SLACK_BINDINGS_TOPIC, SLACK_BINDINGS);
  public static final List<String> OWN_PREFIXES = List.of(OWN_PREFIX, KAFKA_PREFIX);
  public static final List<String> PASS_THROUGH = List.of(KAFKA_CLIENT_PREFIX);

  /**
   * Parses merged key-value pairs.
   *
   * @throws ConfigException naming every bad key and its value
   */
  public static GatewayConfig parse(Map<String, String> raw) {
    Settings settings = Settings.parse(KEYS, OWN_PREFIXES, PASS_THROUGH, raw);
    String clients = BearerAuth.checkedClients(settings, CLIENTS, CLIENTS_PEPPER);
    PublisherConfig publisher;
    try {
      publisher = new PublisherConfig(settings.get(BOOTSTRAP), settings.get(TOPIC), settings.get(CLIENT_ID),
          settings.get(DELIVERY_TIMEOUT), settings.get(REQUEST_TIMEOUT), settings.get(MAX_BLOCK), settings.get(LINGER),
          settings.withPrefix(KAFKA_CLIENT_PREFIX));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Kafka settings (" + KAFKA_CLIENT_PREFIX + "*, gateway.kafka.*): " + e.getMessage(), e);
    }
    String bindingsFile = settings.get(SLACK_BINDINGS_FILE);
    return new GatewayConfig(
        settings.get(HOST), settings.get(PORT), settings.get(OPS_HOST), settings.get(OPS_PORT), settings.get(MAX_BODY),
        settings.get(ALERTMANAGER_MAX_BODY), settings.get(MAX_BATCH), clients, settings.get(CLIENTS_PEPPER), publisher,
        settings.get(RETRY_AFTER), settings.get(BREAKER_FAILURES), settings.get(BREAKER_WAIT), settings.get(READINESS_TIMEOUT), settings.get(SLACK_SECRET), settings.get(SLACK_MAX_SKEW),
        settings.get(SLACK_REPLY_BUDGET), bindingsFile.isBlank() ? null : Path.of(bindingsFile.strip()),
        settings.get(SLACK_BINDINGS_TOPIC),
        bindings(settings.get(SLACK_BINDINGS)), settings.describe());
  }

  /** How long a request may wait for Kafka in all: a send may block for metadata, then wait for delivery. */
  public Duration ackTimeout() {
    return publisher.maxBlock().plus(publisher.deliveryTimeout()).plusSeconds(1);
  }

  /** The clients, ready to authenticate requests. */
  public BearerAuth auth() {
    return BearerAuth.parse(clients, clientsPepper);
  }

  public boolean slackEnabled() {
    return slackSigningSecret != null && !slackSigningSecret.isEmpty();
  }

  private static Map<String, UUID> bindings(List<String> entries) {
    Map<String, UUID> bindings = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      try {
        if (eq <= 0) throw new IllegalArgumentException("expected [team/]channel=incident-uuid");
        bindings.put(entry.substring(0, eq).strip(), UUID.fromString(entry.substring(eq + 1).strip()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(SLACK_BINDINGS.name() + ": cannot read \"" + entry + "\": " + e.getMessage(), e);
      }
    }
    return bindings;
  }

  @Override
  public String toString() {
    // the record's own toString would print the signing secret
    return "GatewayConfig{\n" + describe + "\n}";
  }
}
