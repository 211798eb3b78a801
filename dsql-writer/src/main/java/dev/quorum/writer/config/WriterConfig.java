package dev.quorum.writer.config;

import dev.quorum.event.Topics;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.config.Settings;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.config.DsqlSettings;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.writer.domain.BatchLimits;
import dev.quorum.writer.kafka.WriterSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The writer's typed configuration, parsed once at start-up from flat key-value pairs: every key has a
 * type, a default, a validation and a description, and an invalid value fails with the key's name.
 *
 * @param kafka the consumer loop's settings
 * @param database how to reach the database
 * @param retry how database transactions are retried
 * @param transactionCap the longest a database transaction may take (the settling time of RECORDED as-of answers)
 * @param migrate whether to bring the schema up to date before consuming
 * @param httpHost where /metrics, /healthz and /readyz listen
 * @param httpPort their port; 0 picks a free one
 * @param description the effective configuration, secrets masked
 */
public record WriterConfig(
    WriterSettings kafka, DatabaseSettings database, RetryPolicy retry, Duration transactionCap, boolean migrate,
    String httpHost, int httpPort, String description) {

  /** Client properties passed to every Kafka client as they are, without the prefix (security, timeouts). */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.text("kafka.bootstrap.servers", null,
      "Kafka bootstrap servers, host:port[,host:port]");
  public static final ConfigKey<String> GROUP_ID = ConfigKey.text("writer.group.id", "quorum-dsql-writer",
      "the consumer group of all writer instances");
  public static final ConfigKey<String> INSTANCE_ID = ConfigKey.text("writer.instance.id", "0",
      "this instance's stable name (its StatefulSet ordinal); the transactional id is <group>-<instance>");
  public static final ConfigKey<String> ACTIONS_TOPIC = ConfigKey.text("writer.topic.actions", Topics.ACTIONS,
      "the input topic; must use message.timestamp.type=LogAppendTime");
  public static final ConfigKey<String> COMMITTED_TOPIC = ConfigKey.text("writer.topic.committed", Topics.COMMITTED,
      "where stored events are published, as stored");
  public static final ConfigKey<String> DLQ_TOPIC = ConfigKey.text("writer.topic.dlq", Topics.DLQ,
      "where records that could not be stored as produced go, with the reason in headers");
  public static final ConfigKey<Integer> BATCH_MAX_ROWS = ConfigKey.integer("writer.batch.max.rows", 1_000, 2, 3_000,
      "rows one database transaction may modify, events and incident anchors together (DSQL: 3,000)");
  public static final ConfigKey<Long> BATCH_MAX_BYTES = ConfigKey.longInteger("writer.batch.max.bytes", 8L * 1024 * 1024, 1,
      10L * 1024 * 1024 - 1, "record bytes per batch (DSQL writes at most 10 MiB per transaction)");
  public static final ConfigKey<Duration> BATCH_MAX_WAIT = ConfigKey.duration("writer.batch.max.wait", "50ms", Duration.ZERO,
      Duration.ofSeconds(10), "how long the first record of a batch waits for others");
  public static final ConfigKey<Duration> POLL_TIMEOUT = ConfigKey.duration("writer.poll.timeout", "200ms",
      Duration.ofMillis(1), Duration.ofSeconds(10), "the longest one poll blocks");
  public static final ConfigKey<Duration> KAFKA_TRANSACTION_TIMEOUT = ConfigKey.duration("writer.kafka.transaction.timeout",
      "60s", Duration.ofSeconds(1), Duration.ofMinutes(15), "transaction.timeout.ms of the writer's producer");
  public static final ConfigKey<Duration> UNAVAILABLE_BACKOFF = ConfigKey.duration("writer.unavailable.backoff.initial", "1s",
      Duration.ofMillis(10), Duration.ofMinutes(5), "first wait before retrying a batch while the database is unavailable");
  public static final ConfigKey<Duration> UNAVAILABLE_BACKOFF_MAX = ConfigKey.duration("writer.unavailable.backoff.max", "30s",
      Duration.ofMillis(10), Duration.ofMinutes(10), "longest wait between such retries");
  public static final ConfigKey<Dialect> DB_DIALECT = ConfigKey.enumeration("db.dialect", Dialect.class, Dialect.POSTGRESQL,
      "postgresql or dsql");
  public static final ConfigKey<String> DB_URL = new ConfigKey<>("db.url", v -> v, "", v -> true, "",
      "JDBC URL, jdbc:postgresql://host:port/db (required in postgresql mode)", false);
  public static final ConfigKey<List<String>> DSQL_ENDPOINTS = ConfigKey.list("db.dsql.endpoints", "",
      "DSQL cluster endpoints, host[:port][,host[:port]], tried in turn for each new connection (required in dsql mode)");
  public static final ConfigKey<String> DSQL_REGION = new ConfigKey<>("db.dsql.region", v -> v, "", v -> true, "",
      "region that signs IAM tokens for endpoints whose host names no region (required in dsql mode)", false);
  public static final ConfigKey<String> DSQL_SSL_MODE = ConfigKey.text("db.dsql.sslmode", DsqlSettings.DEFAULT_SSL_MODE,
      "TLS mode of DSQL connections; verify-full in production");
  public static final ConfigKey<Duration> DSQL_TOKEN_LIFETIME = ConfigKey.duration("db.dsql.token.lifetime", "15m",
      Duration.ofSeconds(1), Duration.ofDays(7), "how long a minted IAM token may be used to connect");
  public static final ConfigKey<Duration> DB_MAX_LIFETIME = ConfigKey.duration("db.max.lifetime", "50m",
      Duration.ofSeconds(30), Duration.ofMinutes(55), "lifetime of a pooled connection (DSQL closes them at 60 min)");
  public static final ConfigKey<String> DB_USERNAME = ConfigKey.text("db.username", "postgres", "database user");
  public static final ConfigKey<String> DB_PASSWORD = ConfigKey.secret("db.password",
      "database password (postgresql mode only: dsql mode uses IAM tokens)");
  public static final ConfigKey<Integer> DB_POOL_SIZE = ConfigKey.integer("db.pool.size", 4, 1, 64, "connections in the pool");
  public static final ConfigKey<Duration> DB_TRANSACTION_CAP = ConfigKey.duration("db.transaction.cap", "30s",
      Duration.ofSeconds(1), Duration.ofMinutes(4), "longest a database transaction may take; bounds RECORDED settling");
  public static final ConfigKey<Integer> DB_RETRY_ATTEMPTS = ConfigKey.integer("db.retry.max.attempts", 10, 1, 100,
      "attempts per database transaction, the first included");
  public static final ConfigKey<Duration> DB_RETRY_INITIAL = ConfigKey.duration("db.retry.initial.backoff", "20ms",
      Duration.ofMillis(1), Duration.ofMinutes(1), "wait before the second attempt");
  public static final ConfigKey<Duration> DB_RETRY_MAX = ConfigKey.duration("db.retry.max.backoff", "2s",
      Duration.ofMillis(1), Duration.ofMinutes(1), "cap of any one wait between attempts");
  public static final ConfigKey<Double> DB_RETRY_MULTIPLIER = ConfigKey.decimal("db.retry.multiplier", 2.0, 1.0, 10.0,
      "growth of the wait per attempt");
  public static final ConfigKey<Double> DB_RETRY_JITTER = ConfigKey.decimal("db.retry.jitter", 0.5, 0.0, 1.0,
      "randomization factor of each wait");
  public static final ConfigKey<String> HTTP_HOST = ConfigKey.text("writer.http.host", "0.0.0.0",
      "address of /metrics, /healthz and /readyz");
  public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("writer.http.port", 8082, 0, 65_535,
      "port of /metrics, /healthz and /readyz; 0 picks a free one");
  public static final ConfigKey<Boolean> MIGRATE = ConfigKey.bool("db.migrate.on.start", true,
      "apply missing schema migrations before consuming");

  public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP_SERVERS, GROUP_ID, INSTANCE_ID, ACTIONS_TOPIC,
      COMMITTED_TOPIC, DLQ_TOPIC, BATCH_MAX_ROWS, BATCH_MAX_BYTES, BATCH_MAX_WAIT, POLL_TIMEOUT,
      KAFKA_TRANSACTION_TIMEOUT, UNAVAILABLE_BACKOFF, UNAVAILABLE_BACKOFF_MAX, DB_DIALECT, DB_URL, DSQL_ENDPOINTS,
      DSQL_REGION, DSQL_SSL_MODE, DSQL_TOKEN_LIFETIME, DB_USERNAME, DB_PASSWORD, DB_POOL_SIZE, DB_MAX_LIFETIME, DB_TRANSACTION_CAP, DB_RETRY_ATTEMPTS, DB_RETRY_INITIAL, DB_RETRY_MAX,
      DB_RETRY_MULTIPLIER, DB_RETRY_JITTER, MIGRATE, HTTP_HOST, HTTP_PORT);

  /** Keys under these belong to the writer: an undeclared one is a typo. */
  public static final List<String> OWN_PREFIXES = List.of("writer.", "db.", "kafka.");
  public static final List<String> PASS_THROUGH_PREFIXES = List.of(KAFKA_CLIENT_PREFIX);

  public WriterConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(transactionCap, "transactionCap");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(description, "description");
  }

  /** Merges the configuration file, the {@code QUORUM_*} environment and {@code -D} system properties, then parses. */
  public static WriterConfig load(String[] args, Map<String, String> environment, Properties system) {
    return parse(ConfigSources.merge(ConfigSources.configFile(args, environment), environment, system, KEYS,
        OWN_PREFIXES, PASS_THROUGH_PREFIXES));
  }

  /**
   * Parses flat key-value pairs (sources already merged).
   *
   * @throws ConfigException naming every key that is missing, malformed or invalid
   */
  public static WriterConfig parse(Map<String, String> raw) {
    Settings settings = Settings.parse(KEYS, OWN_PREFIXES, PASS_THROUGH_PREFIXES, raw);
    try {
      Duration backoff = settings.get(UNAVAILABLE_BACKOFF);
      Duration backoffMax = settings.get(UNAVAILABLE_BACKOFF_MAX);
      if (backoffMax.compareTo(backoff) < 0) {
        throw new ConfigException(UNAVAILABLE_BACKOFF_MAX.name() + " " + backoffMax + " is below "
            + UNAVAILABLE_BACKOFF.name() + " " + backoff);
      }
      String groupId = settings.get(GROUP_ID);
      WriterSettings kafka = new WriterSettings(settings.get(BOOTSTRAP_SERVERS), groupId,
          groupId + "-" + settings.get(INSTANCE_ID), settings.get(ACTIONS_TOPIC), settings.get(COMMITTED_TOPIC),
          settings.get(DLQ_TOPIC),
          new BatchLimits(settings.get(BATCH_MAX_ROWS), settings.get(BATCH_MAX_BYTES), settings.get(BATCH_MAX_WAIT)),
          settings.get(POLL_TIMEOUT), settings.get(KAFKA_TRANSACTION_TIMEOUT), backoff, backoffMax,
          settings.withPrefix(KAFKA_CLIENT_PREFIX));
      RetryPolicy retry = new RetryPolicy(settings.get(DB_RETRY_ATTEMPTS), settings.get(DB_RETRY_INITIAL),
          settings.get(DB_RETRY_MAX), settings.get(DB_RETRY_MULTIPLIER), settings.get(DB_RETRY_JITTER));
      return new WriterConfig(kafka, database(settings), retry, settings.get(DB_TRANSACTION_CAP), settings.get(MIGRATE),
          settings.get(HTTP_HOST), settings.get(HTTP_PORT), settings.describe());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static DatabaseSettings database(Settings settings) {
    Dialect dialect = settings.get(DB_DIALECT);
    String password = settings.get(DB_PASSWORD);
    String url = settings.get(DB_URL);
    DsqlSettings dsql = null;
    switch (dialect) {
      case POSTGRESQL -> {
        if (url.isBlank()) {
          throw new ConfigException(DB_URL.name() + " is required in postgresql mode: " + DB_URL.description()
              + " (set it in the config file, as " + DB_URL.environmentVariable() + ", or as -D" + DB_URL.name() + ")");
        }
      }
      case DSQL -> {
        List<String> endpoints = settings.get(DSQL_ENDPOINTS);
        String region = settings.get(DSQL_REGION);
        if (endpoints.isEmpty() || region.isBlank()) {
          throw new ConfigException(DSQL_ENDPOINTS.name() + " and " + DSQL_REGION.name() + " are required in dsql mode");
        }
        if (!password.isEmpty()) {
          throw new ConfigException(DB_PASSWORD.name() + " must not be set in dsql mode: connections use IAM tokens");
        }
        dsql = new DsqlSettings(endpoints, region.trim(), "postgres", settings.get(DSQL_SSL_MODE),
            settings.get(DSQL_TOKEN_LIFETIME));
      }
    }
    return new DatabaseSettings(dialect, url.isBlank() ? null : url, settings.get(DB_USERNAME),
        password.isEmpty() ? null : password, settings.get(DB_POOL_SIZE), Duration.ofSeconds(10),
        settings.get(DB_MAX_LIFETIME), dsql);
  }

  /** The effective configuration, one {@code key = value} per line, secrets masked. */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return "WriterConfig{\n" + description + "\n}";
  }
}
