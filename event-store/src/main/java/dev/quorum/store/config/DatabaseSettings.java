package dev.quorum.store.config;

import dev.quorum.store.jdbc.Dialect;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database: dialect, JDBC URL, credentials and pool bounds; {@link #toString()}
 * masks the password.
 *
 * @param maxLifetime how long a pooled connection lives; DSQL closes connections after 60 minutes
 */
public record DatabaseSettings(
    Dialect dialect,
    String jdbcUrl,
    String username,
    String password,
    int maxPoolSize,
    Duration connectionTimeout,
    Duration maxLifetime) {

  public DatabaseSettings {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql:, was " + jdbcUrl);
    }
    if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be >= 1: " + maxPoolSize);
    if (maxLifetime.compareTo(Duration.ofMinutes(55)) > 0) {
      throw new IllegalArgumentException("maxLifetime must stay under DSQL's 60-minute connection limit: " + maxLifetime);
    }
  }

  public static DatabaseSettings postgres(String jdbcUrl, String username, String password) {
    return new DatabaseSettings(Dialect.POSTGRESQL, jdbcUrl, username, password, 4,
        Duration.ofSeconds(10), Duration.ofMinutes(30));
  }

  @Override
  public String toString() {
    return "DatabaseSettings[dialect=" + dialect + ", jdbcUrl=" + jdbcUrl + ", username=" + username
        + ", password=" + (password == null ? "<none>" : "****") + ", maxPoolSize=" + maxPoolSize
        + ", connectionTimeout=" + connectionTimeout + ", maxLifetime=" + maxLifetime + "]";
  }
}
