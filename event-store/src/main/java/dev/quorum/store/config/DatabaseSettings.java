package dev.quorum.store.config;

import dev.quorum.store.jdbc.Dialect;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database: dialect, address, credentials and pool bounds; {@link #toString()}
 * masks the password.
 *
 * <p>PostgreSQL mode connects to {@code jdbcUrl} with a password. DSQL mode connects to the
 * endpoints of {@code dsql} with an IAM token minted per new connection; it has no password.
 *
 * @param jdbcUrl the PostgreSQL URL; unused (may be null) in DSQL mode
 * @param maxLifetime how long a pooled connection lives; DSQL closes connections after 60 minutes
 */
public record DatabaseSettings(
    Dialect dialect,
    String jdbcUrl,
    String username,
    String password,
    int maxPoolSize,
    Duration connectionTimeout,
    Duration maxLifetime,
    DsqlSettings dsql) {

  public DatabaseSettings {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    switch (dialect) {
      case POSTGRESQL -> {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
          throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql:, was " + jdbcUrl);
        }
      }
      case DSQL -> {
        if (dsql == null) throw new IllegalArgumentException("DSQL mode needs its endpoints and region");
        if (password != null) {
          throw new IllegalArgumentException("DSQL mode authenticates with IAM tokens; no static password may be set");
        }
      }
    }
    if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be >= 1: " + maxPoolSize);
    if (maxLifetime.compareTo(Duration.ofSeconds(30)) < 0 || maxLifetime.compareTo(Duration.ofMinutes(55)) > 0) {
      throw new IllegalArgumentException(
          "maxLifetime must be in [30s, 55min], under DSQL's 60-minute connection limit: " + maxLifetime);
    }
  }

  public static DatabaseSettings postgres(String jdbcUrl, String username, String password) {
    return new DatabaseSettings(Dialect.POSTGRESQL, jdbcUrl, username, password, 4,
        Duration.ofSeconds(10), Duration.ofMinutes(30), null);
  }

  public static DatabaseSettings dsql(DsqlSettings dsql, String username) {
    return new DatabaseSettings(Dialect.DSQL, null, username, null, 4,
        Duration.ofSeconds(10), Duration.ofMinutes(50), dsql);
  }

  @Override
  public String toString() {
    return "DatabaseSettings[dialect=" + dialect + ", jdbcUrl=" + jdbcUrl + ", username=" + username
        + ", password=" + (password == null ? "<none>" : "****") + ", maxPoolSize=" + maxPoolSize
        + ", connectionTimeout=" + connectionTimeout + ", maxLifetime=" + maxLifetime + ", dsql=" + dsql + "]";
  }
}
