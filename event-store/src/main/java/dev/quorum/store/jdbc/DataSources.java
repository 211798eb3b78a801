package dev.quorum.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.config.DsqlSettings;
import dev.quorum.store.tx.TransactionRunner;
import java.util.Properties;

/** The connection pool behind the store: the one seam where PostgreSQL and DSQL connections differ. */
public final class DataSources {
  /** DSQL listens on the PostgreSQL port. */
  public static final int DSQL_PORT = 5432;

  private DataSources() {}

  /** A pool for the settings: a password in PostgreSQL mode, an IAM token per connection in DSQL mode. */
  public static HikariDataSource pooled(DatabaseSettings settings, String poolName) {
    if (settings.dialect() == Dialect.DSQL) {
      DsqlSettings dsql = settings.dsql();
      return pooled(settings, poolName, DsqlAuthTokens.withDefaultCredentials(dsql.region(), dsql.tokenLifetime()));
    }
    HikariConfig config = common(settings, poolName);
    // Snapshot isolation, as on DSQL, set once when the connection opens rather than per transaction.
    config.setTransactionIsolation(TransactionRunner.REPEATABLE_READ);
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.username());
    config.setPassword(settings.password());
    return new HikariDataSource(config);
  }

  /** A DSQL-mode pool whose tokens come from {@code tokens}: the IAM signer, or a stand-in in tests. */
  public static HikariDataSource pooled(DatabaseSettings settings, String poolName, AuthTokens tokens) {
    if (settings.dialect() != Dialect.DSQL) throw new IllegalArgumentException("tokens are for DSQL mode");
    HikariConfig config = common(settings, poolName);
    config.setDataSource(failover(settings.dsql(), settings.username(), tokens,
        (int) settings.connectionTimeout().toSeconds()));
    return new HikariDataSource(config);
  }

  /** Connections to the first DSQL endpoint that accepts, each with a token of its own. */
  public static FailoverDataSource failover(DsqlSettings dsql, String username, AuthTokens tokens, int connectTimeoutSeconds) {
    Properties properties = new Properties();
    properties.setProperty("sslmode", dsql.sslMode());
    if (!dsql.sslMode().equals(DsqlSettings.TEST_WITHOUT_TLS)) {
      // TLS from the first byte (pgJDBC >= 42.7.4) saves a round trip; the JVM's trust store holds Amazon's roots.
      properties.setProperty("sslNegotiation", "direct");
      properties.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
    }
    properties.setProperty("connectTimeout", Integer.toString(Math.max(1, connectTimeoutSeconds)));
    properties.setProperty("tcpKeepAlive", "true");
    return new FailoverDataSource(
        dsql.endpoints().stream().map(e -> FailoverDataSource.Endpoint.parse(e, DSQL_PORT)).toList(),
        dsql.database(), username, tokens, properties);
  }

  private static HikariConfig common(DatabaseSettings settings, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    // Under DSQL's 60-minute connection limit: the pool retires a connection before the server does.
    config.setMaxLifetime(settings.maxLifetime().toMillis());
    config.setAutoCommit(true);
    // The pool starts without a connection: a database that is down at start-up is an outage like any
    // other (the callers' transactions fail retryably and wait), not a reason to exit.
    config.setInitializationFailTimeout(-1);
    return config;
  }
}
