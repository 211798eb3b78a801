package dev.quorum.writer.config;

import dev.quorum.event.Topics;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.config.DsqlSettings;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.writer.domain.BatchLimits;
import dev.quorum.writer.kafka.WriterSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The writer's typed configuration, parsed once at start-up from flat key-value pairs: every key has a
 * type, a default, a validation and a description, and an invalid value fails with the key's name.
 *
 * @param kafka the consumer loop's settings
 * @param database how to reach the database
 * @param retry how database transactions are retried
 * @param transactionCap the longest a database transaction may take (the settling time of RECORDED as-of answers)
 * @param migrate whether to bring the schema up to date before consuming
 */
public record WriterConfig(
    WriterSettings kafka, DatabaseSettings database, RetryPolicy retry, Duration transactionCap, boolean migrate,
    Map<String, String> effective) {

  /** Client properties passed to every Kafka client as they are, without the prefix (security, timeouts). */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  public static final Key<String> BOOTSTRAP_SERVERS = Key.text("kafka.bootstrap.servers", null,
      "Kafka bootstrap servers, host:port[,host:port]");
  public static final Key<String> GROUP_ID = Key.text("writer.group.id", "quorum-dsql-writer",
      "the consumer group of all writer instances");
  public static final Key<String> INSTANCE_ID = Key.text("writer.instance.id", "0",
      "this instance's stable name (its StatefulSet ordinal); the transactional id is <group>-<instance>");
  public static final Key<String> ACTIONS_TOPIC = Key.text("writer.topic.actions", Topics.ACTIONS,
      "the input topic; must use message.timestamp.type=LogAppendTime");
  public static final Key<String> COMMITTED_TOPIC = Key.text("writer.topic.committed", Topics.COMMITTED,
      "where stored events are published, as stored");
  public static final Key<String> DLQ_TOPIC = Key.text("writer.topic.dlq", Topics.DLQ,
      "where records that could not be stored as produced go, with the reason in headers");
  public static final Key<Integer> BATCH_MAX_ROWS = Key.integer("writer.batch.max.rows", 1_000, 2, 3_000,
      "rows one database transaction may modify, events and incident anchors together (DSQL: 3,000)");
  public static final Key<Long> BATCH_MAX_BYTES = Key.longInteger("writer.batch.max.bytes", 8L * 1024 * 1024, 1,
      10L * 1024 * 1024 - 1, "record bytes per batch (DSQL writes at most 10 MiB per transaction)");
  public static final Key<Duration> BATCH_MAX_WAIT = Key.duration("writer.batch.max.wait", "50ms", Duration.ZERO,
      Duration.ofSeconds(10), "how long the first record of a batch waits for others");
  public static final Key<Duration> POLL_TIMEOUT = Key.duration("writer.poll.timeout", "200ms",
      Duration.ofMillis(1), Duration.ofSeconds(10), "the longest one poll blocks");
  public static final Key<Duration> KAFKA_TRANSACTION_TIMEOUT = Key.duration("writer.kafka.transaction.timeout",
      "60s", Duration.ofSeconds(1), Duration.ofMinutes(15), "transaction.timeout.ms of the writer's producer");
  public static final Key<Duration> UNAVAILABLE_BACKOFF = Key.duration("writer.unavailable.backoff.initial", "1s",
      Duration.ofMillis(10), Duration.ofMinutes(5), "first wait before retrying a batch while the database is unavailable");
  public static final Key<Duration> UNAVAILABLE_BACKOFF_MAX = Key.duration("writer.unavailable.backoff.max", "30s",
      Duration.ofMillis(10), Duration.ofMinutes(10), "longest wait between such retries");
  public static final Key<Dialect> DB_DIALECT = Key.enumeration("db.dialect", Dialect.class, Dialect.POSTGRESQL,
      "postgresql or dsql");
  public static final Key<String> DB_URL = new Key<>("db.url", v -> v, "", v -> true, "",
      "JDBC URL, jdbc:postgresql://host:port/db (required in postgresql mode)", false);
  public static final Key<String> DSQL_ENDPOINTS = new Key<>("db.dsql.endpoints", v -> v, "", v -> true, "",
      "DSQL cluster endpoints, host[:port][,host[:port]], tried in turn for each new connection (required in dsql mode)",
      false);
  public static final Key<String> DSQL_REGION = new Key<>("db.dsql.region", v -> v, "", v -> true, "",
      "region that signs IAM tokens for endpoints whose host names no region (required in dsql mode)", false);
  public static final Key<String> DSQL_SSL_MODE = Key.text("db.dsql.sslmode", DsqlSettings.DEFAULT_SSL_MODE,
      "TLS mode of DSQL connections; verify-full in production");
  public static final Key<Duration> DSQL_TOKEN_LIFETIME = Key.duration("db.dsql.token.lifetime", "15m",
      Duration.ofSeconds(1), Duration.ofDays(7), "how long a minted IAM token may be used to connect");
  public static final Key<Duration> DB_MAX_LIFETIME = Key.duration("db.max.lifetime", "50m",
      Duration.ofSeconds(30), Duration.ofMinutes(55), "lifetime of a pooled connection (DSQL closes them at 60 min)");
  public static final Key<String> DB_USERNAME = Key.text("db.username", "postgres", "database user");
  public static final Key<String> DB_PASSWORD = Key.secret("db.password",
      "database password (postgresql mode only: dsql mode uses IAM tokens)");
  public static final Key<Integer> DB_POOL_SIZE = Key.integer("db.pool.size", 4, 1, 64, "connections in the pool");
  public static final Key<Duration> DB_TRANSACTION_CAP = Key.duration("db.transaction.cap", "30s",
      Duration.ofSeconds(1), Duration.ofMinutes(4), "longest a database transaction may take; bounds RECORDED settling");
  public static final Key<Integer> DB_RETRY_ATTEMPTS = Key.integer("db.retry.max.attempts", 10, 1, 100,
      "attempts per database transaction, the first included");
  public static final Key<Duration> DB_RETRY_INITIAL = Key.duration("db.retry.initial.backoff", "20ms",
      Duration.ofMillis(1), Duration.ofMinutes(1), "wait before the second attempt");
  public static final Key<Duration> DB_RETRY_MAX = Key.duration("db.retry.max.backoff", "2s",
      Duration.ofMillis(1), Duration.ofMinutes(1), "cap of any one wait between attempts");
  public static final Key<Double> DB_RETRY_MULTIPLIER = Key.decimal("db.retry.multiplier", 2.0, 1.0, 10.0,
      "growth of the wait per attempt");
  public static final Key<Double> DB_RETRY_JITTER = Key.decimal("db.retry.jitter", 0.5, 0.0, 1.0,
      "randomization factor of each wait");
  public static final Key<Boolean> MIGRATE = Key.bool("db.migrate.on.start", true,
      "apply missing schema migrations before consuming");

  public static final List<Key<?>> KEYS = List.of(BOOTSTRAP_SERVERS, GROUP_ID, INSTANCE_ID, ACTIONS_TOPIC,
      COMMITTED_TOPIC, DLQ_TOPIC, BATCH_MAX_ROWS, BATCH_MAX_BYTES, BATCH_MAX_WAIT, POLL_TIMEOUT,
      KAFKA_TRANSACTION_TIMEOUT, UNAVAILABLE_BACKOFF, UNAVAILABLE_BACKOFF_MAX, DB_DIALECT, DB_URL, DSQL_ENDPOINTS,
      DSQL_REGION, DSQL_SSL_MODE, DSQL_TOKEN_LIFETIME, DB_USERNAME, DB_PASSWORD, DB_POOL_SIZE, DB_MAX_LIFETIME, DB_TRANSACTION_CAP, DB_RETRY_ATTEMPTS, DB_RETRY_INITIAL, DB_RETRY_MAX,
      DB_RETRY_MULTIPLIER, DB_RETRY_JITTER, MIGRATE);

  private static final Set<String> OWN_PREFIXES = Set.of("writer.", "db.", "kafka.");

  public WriterConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(transactionCap, "transactionCap");
    effective = Map.copyOf(effective);
  }

  /**
   * Parses flat key-value pairs (file, environment and system properties already merged).
   *
   * @throws ConfigException naming the first key that is missing, malformed or invalid
   */
  public static WriterConfig parse(Map<String, String> raw) {
    Map<String, String> effective = new TreeMap<>();
    Map<String, Object> values = new HashMap<>();
    for (Key<?> key : KEYS) {
      values.put(key.name(), value(key, raw, effective));
    }
    for (String name : raw.keySet()) {
      boolean ours = OWN_PREFIXES.stream().anyMatch(name::startsWith);
      boolean known = KEYS.stream().anyMatch(k -> k.name().equals(name)) || name.startsWith(KAFKA_CLIENT_PREFIX);
      if (ours && !known) {
        throw new ConfigException("unknown configuration key " + name + " (known: "
            + KEYS.stream().map(Key::name).collect(Collectors.joining(", ")) + ", " + KAFKA_CLIENT_PREFIX + "*)", null);
      }
    }
    Map<String, String> clientProperties = new HashMap<>();
    raw.forEach((name, value) -> {
      if (name.startsWith(KAFKA_CLIENT_PREFIX)) {
        clientProperties.put(name.substring(KAFKA_CLIENT_PREFIX.length()), value);
        effective.put(name, isSecretName(name) ? "****" : value);
      }
    });
    try {
      Duration backoff = get(values, UNAVAILABLE_BACKOFF);
      Duration backoffMax = get(values, UNAVAILABLE_BACKOFF_MAX);
      if (backoffMax.compareTo(backoff) < 0) {
        throw new IllegalArgumentException(UNAVAILABLE_BACKOFF_MAX.name() + " " + backoffMax + " is below "
            + UNAVAILABLE_BACKOFF.name() + " " + backoff);
      }
      String groupId = get(values, GROUP_ID);
      WriterSettings kafka = new WriterSettings(get(values, BOOTSTRAP_SERVERS), groupId,
          groupId + "-" + get(values, INSTANCE_ID), get(values, ACTIONS_TOPIC), get(values, COMMITTED_TOPIC),
          get(values, DLQ_TOPIC),
          new BatchLimits(get(values, BATCH_MAX_ROWS), get(values, BATCH_MAX_BYTES), get(values, BATCH_MAX_WAIT)),
          get(values, POLL_TIMEOUT), get(values, KAFKA_TRANSACTION_TIMEOUT), backoff, backoffMax, clientProperties);
      DatabaseSettings database = database(values);
      RetryPolicy retry = new RetryPolicy(get(values, DB_RETRY_ATTEMPTS), get(values, DB_RETRY_INITIAL),
          get(values, DB_RETRY_MAX), get(values, DB_RETRY_MULTIPLIER), get(values, DB_RETRY_JITTER));
      return new WriterConfig(kafka, database, retry, get(values, DB_TRANSACTION_CAP), get(values, MIGRATE), effective);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static DatabaseSettings database(Map<String, Object> values) {
    Dialect dialect = get(values, DB_DIALECT);
    String password = get(values, DB_PASSWORD);
    String url = get(values, DB_URL);
    DsqlSettings dsql = null;
    switch (dialect) {
      case POSTGRESQL -> {
        if (url.isBlank()) {
          throw new ConfigException(DB_URL.name() + " is required in postgresql mode: " + DB_URL.description()
              + " (or as " + DB_URL.environmentVariable() + ")", null);
        }
      }
      case DSQL -> {
        String endpoints = get(values, DSQL_ENDPOINTS);
        String region = get(values, DSQL_REGION);
        if (endpoints.isBlank() || region.isBlank()) {
          throw new ConfigException(DSQL_ENDPOINTS.name() + " and " + DSQL_REGION.name() + " are required in dsql mode", null);
        }
        if (!password.isEmpty()) {
          throw new ConfigException(DB_PASSWORD.name() + " must not be set in dsql mode: connections use IAM tokens", null);
        }
        dsql = new DsqlSettings(List.of(endpoints.split("\\s*,\\s*")), region.trim(), "postgres",
            get(values, DSQL_SSL_MODE), get(values, DSQL_TOKEN_LIFETIME));
      }
    }
    return new DatabaseSettings(dialect, url.isBlank() ? null : url, get(values, DB_USERNAME),
        password.isEmpty() ? null : password, get(values, DB_POOL_SIZE), Duration.ofSeconds(10),
        get(values, DB_MAX_LIFETIME), dsql);
  }

  /** The effective configuration, one {@code key = value} per line, secrets masked. */
  public String describe() {
    List<String> lines = new ArrayList<>();
    effective.forEach((name, value) -> lines.add(name + " = " + value));
    return String.join("\n", lines);
  }

  private static <T> T value(Key<T> key, Map<String, String> raw, Map<String, String> effective) {
    String text = raw.get(key.name());
    if (text == null || (text.isBlank() && !key.secret())) text = key.defaultValue();
    if (text == null) {
      throw new ConfigException(key.name() + " is required: " + key.description()
          + " (set it in the config file, as " + key.environmentVariable() + ", or as -D" + key.name() + ")", null);
    }
    T value;
    try {
      value = key.parser().apply(text.trim());
    } catch (RuntimeException e) {
      throw new ConfigException(key.name() + ": cannot read \"" + text + "\": " + e.getMessage(), e);
    }
    if (!key.valid().test(value)) {
      throw new ConfigException(key.name() + " " + key.constraint() + ", was " + text, null);
    }
    effective.put(key.name(), key.secret() ? (text.isEmpty() ? "<none>" : "****") : text.trim());
    return value;
  }

  @SuppressWarnings("unchecked")
  private static <T> T get(Map<String, Object> values, Key<T> key) {
    return (T) values.get(key.name());
  }

  private static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.contains("jaas") || lower.contains("token");
  }

  @Override
  public String toString() {
    return "WriterConfig{\n" + describe() + "\n}";
  }
}
