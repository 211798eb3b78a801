package dev.quorum.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.store.config.DatabaseSettings;

/** The connection pool behind the store: the one seam where PostgreSQL and DSQL connections differ. */
public final class DataSources {
  private DataSources() {}

  /** A pool of connections for the settings; close it to release them. */
  public static HikariDataSource pooled(DatabaseSettings settings, String poolName) {
    if (settings.dialect() == Dialect.DSQL) {
      throw new UnsupportedOperationException(
          "DSQL connections need IAM auth tokens minted per connection, which this build does not provide yet");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.username());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    config.setMaxLifetime(settings.maxLifetime().toMillis());
    config.setAutoCommit(true);
    // A failed start must not hang: the first connection is tried at once and its error surfaces.
    config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
    return new HikariDataSource(config);
  }
}
