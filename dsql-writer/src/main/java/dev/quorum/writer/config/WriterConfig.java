package dev.quorum.writer.config;

import dev.quorum.event.Topics;
import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.config.Settings;
import dev.quorum.store.config.DatabaseKeys;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.writer.domain.BatchLimits;
import dev.quorum.writer.kafka.WriterSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

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
  public static final ConfigKey<Integer> BATCH_MAX_ROWS = ConfigKey.integer("writer.batch.max.rows", 3_000, 2, 3_000,
      "rows one database transaction may modify, events and incident anchors together (DSQL: 3,000)");
  public static final ConfigKey<Long> BATCH_MAX_BYTES = ConfigKey.longInteger("writer.batch.max.bytes", 8L * 1024 * 1024, 1,
      10L * 1024 * 1024 - 1, "record bytes per batch (DSQL writes at most 10 MiB per transaction)");
  public static final ConfigKey<Duration> BATCH_MAX_WAIT = ConfigKey.duration("writer.batch.max.wait", "0ms", Duration.ZERO,
      Duration.ofSeconds(10), "how long the first record of a batch may wait for others while nothing is in flight"
          + " (0: batches grow only while the database is busy)");
  public static final ConfigKey<Integer> DB_LANES = ConfigKey.integer("writer.db.lanes", 1, 1, 16,
      "database transactions in flight at once, each storing its own share of the partitions (partition modulo"
          + " lanes) in order; at most db.pool.size. Raise it where commits wait on the network (DSQL across"
          + " regions); on one local PostgreSQL two lanes were slower (bench/results/2026-11-27-2c-lanes.md)");
  public static final ConfigKey<Duration> POLL_TIMEOUT = ConfigKey.duration("writer.poll.timeout", "200ms",
      Duration.ofMillis(1), Duration.ofSeconds(10), "the longest one poll blocks");
  public static final ConfigKey<Duration> KAFKA_TRANSACTION_TIMEOUT = ConfigKey.duration("writer.kafka.transaction.timeout",
      "60s", Duration.ofSeconds(1), Duration.ofMinutes(15), "transaction.timeout.ms of the writer's producer");
  public static final ConfigKey<Duration> UNAVAILABLE_BACKOFF = ConfigKey.duration("writer.unavailable.backoff.initial", "1s",
      Duration.ofMillis(10), Duration.ofMinutes(5), "first wait before retrying a batch while the database is unavailable");
  public static final ConfigKey<Duration> UNAVAILABLE_BACKOFF_MAX = ConfigKey.duration("writer.unavailable.backoff.max", "30s",
      Duration.ofMillis(10), Duration.ofMinutes(10), "longest wait between such retries");
  public static final ConfigKey<Duration> DB_TRANSACTION_CAP = ConfigKey.duration("db.transaction.cap", "30s",
      Duration.ofSeconds(1), Duration.ofMinutes(4), "longest a database transaction may take; bounds RECORDED settling");
  public static final ConfigKey<String> HTTP_HOST = ConfigKey.text("writer.http.host", "0.0.0.0",
      "address of /metrics, /healthz and /readyz");
  public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("writer.http.port", 8082, 0, 65_535,
      "port of /metrics, /healthz and /readyz; 0 picks a free one");
  public static final ConfigKey<Boolean> MIGRATE = ConfigKey.bool("db.migrate.on.start", true,
      "apply missing schema migrations before consuming");

  /** The writer's own keys and the {@code db.*} keys it shares with the projection ({@link DatabaseKeys}). */
  public static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(BOOTSTRAP_SERVERS, GROUP_ID, INSTANCE_ID,
      ACTIONS_TOPIC, COMMITTED_TOPIC, DLQ_TOPIC, BATCH_MAX_ROWS, BATCH_MAX_BYTES, BATCH_MAX_WAIT, DB_LANES, POLL_TIMEOUT,
      KAFKA_TRANSACTION_TIMEOUT, UNAVAILABLE_BACKOFF, UNAVAILABLE_BACKOFF_MAX, DB_TRANSACTION_CAP, MIGRATE, HTTP_HOST,
      HTTP_PORT), DatabaseKeys.KEYS.stream()).toList();

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
      int lanes = settings.get(DB_LANES);
      if (lanes > settings.get(DatabaseKeys.POOL_SIZE)) {
        throw new ConfigException(DB_LANES.name() + " " + lanes + " is above " + DatabaseKeys.POOL_SIZE.name() + " "
            + settings.get(DatabaseKeys.POOL_SIZE) + ": each lane holds a connection while it stores a batch");
      }
      String groupId = settings.get(GROUP_ID);
      WriterSettings kafka = new WriterSettings(settings.get(BOOTSTRAP_SERVERS), groupId,
          groupId + "-" + settings.get(INSTANCE_ID), settings.get(ACTIONS_TOPIC), settings.get(COMMITTED_TOPIC),
          settings.get(DLQ_TOPIC),
          new BatchLimits(settings.get(BATCH_MAX_ROWS), settings.get(BATCH_MAX_BYTES), settings.get(BATCH_MAX_WAIT)),
          settings.get(POLL_TIMEOUT), settings.get(KAFKA_TRANSACTION_TIMEOUT), backoff, backoffMax, lanes,
          settings.withPrefix(KAFKA_CLIENT_PREFIX));
      return new WriterConfig(kafka, DatabaseKeys.from(settings), DatabaseKeys.retry(settings), settings.get(DB_TRANSACTION_CAP), settings.get(MIGRATE),
          settings.get(HTTP_HOST), settings.get(HTTP_PORT), settings.describe());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage(), e);
    }
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
