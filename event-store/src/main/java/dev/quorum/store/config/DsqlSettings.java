package dev.quorum.store.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach an Aurora DSQL cluster: its endpoints in order of preference (another region's
 * endpoint of a multi-region cluster, say), the signing region, and TLS.
 *
 * @param endpoints {@code host} or {@code host:port}; a new connection tries them in turn
 * @param region the region that signs tokens for endpoints whose host names no region
 * @param database always {@code postgres} on DSQL
 * @param sslMode {@code verify-full}, the only mode configuration can produce; {@code disable} exists only
 *     for tests that stand a TLS-less PostgreSQL in for a cluster
 * @param tokenLifetime how long a minted token may be used to connect; it is checked only then
 */
public record DsqlSettings(List<String> endpoints, String region, String database, String sslMode, Duration tokenLifetime) {
  public static final String DEFAULT_SSL_MODE = "verify-full";
  /** Plain text, for tests against a local PostgreSQL only: no configuration key leads here. */
  public static final String TEST_WITHOUT_TLS = "disable";
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);

  public DsqlSettings {
    endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(sslMode, "sslMode");
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    if (!sslMode.equals(DEFAULT_SSL_MODE) && !sslMode.equals(TEST_WITHOUT_TLS)) {
      throw new IllegalArgumentException("DSQL connections use sslmode " + DEFAULT_SSL_MODE + ", was " + sslMode);
    }
    if (endpoints.isEmpty()) throw new IllegalArgumentException("at least one DSQL endpoint is needed");
    for (String endpoint : endpoints) {
      if (endpoint.isBlank() || endpoint.contains("/")) {
        throw new IllegalArgumentException("a DSQL endpoint is host or host:port, was \"" + endpoint + "\"");
      }
    }
    if (tokenLifetime.isNegative() || tokenLifetime.isZero() || tokenLifetime.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("tokenLifetime must be in (0, 7 days]: " + tokenLifetime);
    }
  }

  public static DsqlSettings of(List<String> endpoints, String region) {
    return new DsqlSettings(endpoints, region, "postgres", DEFAULT_SSL_MODE, DEFAULT_TOKEN_LIFETIME);
  }
}
