package dev.quorum.store.config;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.Settings;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.tx.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code db.*} configuration keys every service that opens the event log shares (the writer and
 * the projection), and their parsing into {@link DatabaseSettings} and {@link RetryPolicy}.
 *
 * <p>There is deliberately no key for the TLS mode: DSQL connections are always {@code verify-full}.
 */
public final class DatabaseKeys {
  public static final ConfigKey<Dialect> DIALECT = ConfigKey.enumeration("db.dialect", Dialect.class, Dialect.POSTGRESQL,
      "postgresql or dsql");
  public static final ConfigKey<String> URL = new ConfigKey<>("db.url", v -> v, "",
      v -> v.isEmpty() || v.startsWith("jdbc:postgresql:"), "must start with jdbc:postgresql:",
      "JDBC URL, jdbc:postgresql://host:port/db (postgresql mode)", false);
  public static final ConfigKey<List<String>> DSQL_ENDPOINTS = ConfigKey.list("db.dsql.endpoints", "",
      "DSQL cluster endpoints, host[:port][,host[:port]], tried in turn for each new connection (required in dsql mode)");
  public static final ConfigKey<String> DSQL_REGION = ConfigKey.optionalText("db.dsql.region",
      "region that signs IAM tokens for endpoints whose host names no region (required in dsql mode)");
  public static final ConfigKey<Duration> DSQL_TOKEN_LIFETIME = ConfigKey.duration("db.dsql.token.lifetime", "15m",
      Duration.ofSeconds(1), Duration.ofDays(7), "how long a minted IAM token may be used to connect");
  public static final ConfigKey<String> USERNAME = ConfigKey.text("db.username", "postgres",
      "database role (in dsql mode admin, or a custom role granted to the process's IAM identity)");
  public static final ConfigKey<String> PASSWORD = ConfigKey.secret("db.password",
      "database password (postgresql mode only: dsql mode uses IAM tokens)");
  public static final ConfigKey<Integer> POOL_SIZE = ConfigKey.integer("db.pool.size", 4, 1, 64, "connections in the pool");
  public static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration("db.connect.timeout", "10s",
      Duration.ofMillis(250), Duration.ofMinutes(2), "how long asking the pool for a connection may wait");
  public static final ConfigKey<Duration> MAX_LIFETIME = ConfigKey.duration("db.max.lifetime", "50m",
      Duration.ofSeconds(30), Duration.ofMinutes(55), "lifetime of a pooled connection (DSQL closes them at 60 min)");
  public static final ConfigKey<Integer> RETRY_ATTEMPTS = ConfigKey.integer("db.retry.max.attempts", 10, 1, 100,
      "attempts per database transaction, the first included");
  public static final ConfigKey<Duration> RETRY_INITIAL = ConfigKey.duration("db.retry.initial.backoff", "20ms",
      Duration.ofMillis(1), Duration.ofMinutes(1), "wait before the second attempt");
  public static final ConfigKey<Duration> RETRY_MAX = ConfigKey.duration("db.retry.max.backoff", "2s",
      Duration.ofMillis(1), Duration.ofMinutes(1), "cap of any one wait between attempts");
  public static final ConfigKey<Double> RETRY_MULTIPLIER = ConfigKey.decimal("db.retry.multiplier", 2.0, 1.0, 10.0,
      "growth of the wait per attempt");
  public static final ConfigKey<Double> RETRY_JITTER = ConfigKey.decimal("db.retry.jitter", 0.5, 0.0, 1.0,
      "randomization factor of each wait");

  /** How to connect: what {@link #from(Settings)} reads. */
  public static final List<ConfigKey<?>> CONNECTION = List.of(DIALECT, URL, DSQL_ENDPOINTS, DSQL_REGION,
      DSQL_TOKEN_LIFETIME, USERNAME, PASSWORD, POOL_SIZE, CONNECT_TIMEOUT, MAX_LIFETIME);
  /** How transactions are retried: what {@link #retry(Settings)} reads. */
  public static final List<ConfigKey<?>> RETRY = List.of(RETRY_ATTEMPTS, RETRY_INITIAL, RETRY_MAX, RETRY_MULTIPLIER,
      RETRY_JITTER);
  public static final List<ConfigKey<?>> KEYS = Stream.concat(CONNECTION.stream(), RETRY.stream()).toList();

  private DatabaseKeys() {}

  /**
   * The database of parsed settings that declare {@link #CONNECTION}.
   *
   * @throws ConfigException naming the key when a mode's required key is missing or a password is set in dsql mode
   */
  public static DatabaseSettings from(Settings settings) {
    return ifConfigured(settings).orElseThrow(() -> new ConfigException(URL.name() + " is required in postgresql mode: "
        + URL.description() + " (set it in the config file, as " + URL.environmentVariable() + ", or as -D"
        + URL.name() + ")"));
  }

  /** Like {@link #from(Settings)}, but empty when postgresql mode has no {@code db.url} (a database is optional). */
  public static Optional<DatabaseSettings> ifConfigured(Settings settings) {
    Dialect dialect = settings.get(DIALECT);
    String password = settings.get(PASSWORD);
    String url = settings.get(URL);
    DsqlSettings dsql = null;
    switch (dialect) {
      case POSTGRESQL -> {
        if (url.isBlank()) return Optional.empty();
      }
      case DSQL -> {
        List<String> endpoints = settings.get(DSQL_ENDPOINTS);
        String region = settings.get(DSQL_REGION);
        if (endpoints.isEmpty() || region.isBlank()) {
          throw new ConfigException(DSQL_ENDPOINTS.name() + " and " + DSQL_REGION.name() + " are required in dsql mode");
        }
        if (!password.isEmpty()) {
          throw new ConfigException(PASSWORD.name() + " must not be set in dsql mode: connections use IAM tokens");
        }
        try {
          dsql = new DsqlSettings(endpoints, region.trim(), "postgres", DsqlSettings.DEFAULT_SSL_MODE,
              settings.get(DSQL_TOKEN_LIFETIME));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(DSQL_ENDPOINTS.name() + ": " + e.getMessage(), e);
        }
      }
    }
    return Optional.of(new DatabaseSettings(dialect, url.isBlank() ? null : url, settings.get(USERNAME),
        password.isEmpty() ? null : password, settings.get(POOL_SIZE), settings.get(CONNECT_TIMEOUT),
        settings.get(MAX_LIFETIME), dsql));
  }

  /** The retry policy of parsed settings that declare {@link #RETRY}. */
  public static RetryPolicy retry(Settings settings) {
    try {
      return new RetryPolicy(settings.get(RETRY_ATTEMPTS), settings.get(RETRY_INITIAL), settings.get(RETRY_MAX),
          settings.get(RETRY_MULTIPLIER), settings.get(RETRY_JITTER));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid retry settings: " + e.getMessage(), e);
    }
  }
}
