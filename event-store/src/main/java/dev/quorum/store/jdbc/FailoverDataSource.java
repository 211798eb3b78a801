package dev.quorum.store.jdbc;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Opens each new connection on the first endpoint that accepts it, starting with the one that
 * accepted the last, with a freshly minted token as its password.
 *
 * <p>A pool calls it once per physical connection, so every connection gets a token of its own and
 * a pool that loses an endpoint refills from the next one. When no endpoint accepts, the error is
 * a connection error (SQLSTATE 08001), which the retry classification retries.
 *
 * <p>Only a failure to reach an endpoint moves on to the next: an endpoint that answers and refuses
 * (bad credentials, a missing database or role) would refuse on every endpoint of the cluster, and
 * trying them all would hide the real error behind a connection error that is retried without end.
 */
public final class FailoverDataSource implements DataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FailoverDataSource.class);

  /** One endpoint: a host and its port. */
  public record Endpoint(String host, int port) {
    public Endpoint {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65_535) throw new IllegalArgumentException("not a port: " + port);
    }

    /** Parses {@code host} or {@code host:port}. */
    public static Endpoint parse(String text, int defaultPort) {
      int colon = text.lastIndexOf(':');
      if (colon < 0) return new Endpoint(text.trim(), defaultPort);
      return new Endpoint(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private final List<Endpoint> endpoints;
  private final String database;
  private final String username;
  private final AuthTokens tokens;
  private final Properties connectionProperties;
  private final Driver driver = new org.postgresql.Driver();
  private final AtomicInteger preferred = new AtomicInteger();
  private volatile int loginTimeoutSeconds;

  /**
   * @param connectionProperties pgJDBC properties for every connection (sslmode, timeouts, ...)
   */
  public FailoverDataSource(List<Endpoint> endpoints, String database, String username, AuthTokens tokens,
      Properties connectionProperties) {
    this.endpoints = List.copyOf(endpoints);
    if (this.endpoints.isEmpty()) throw new IllegalArgumentException("at least one endpoint is needed");
    this.database = Objects.requireNonNull(database, "database");
    this.username = Objects.requireNonNull(username, "username");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.connectionProperties = (Properties) connectionProperties.clone();
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public Connection getConnection() throws SQLException {
    int first = preferred.get();
    List<SQLException> failures = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (first + i) % endpoints.size();
      Endpoint endpoint = endpoints.get(index);
      Properties properties = (Properties) connectionProperties.clone();
      properties.setProperty("user", username);
      properties.setProperty("password", tokens.token(endpoint.host(), username));
      if (loginTimeoutSeconds > 0) properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
      try {
        Connection connection = driver.connect(url(endpoint), properties);
        if (connection == null) throw new SQLException("the PostgreSQL driver refused " + url(endpoint), "08001");
        if (index != first) {
          preferred.set(index);
          LOG.warn("connected to {} after {} failed: {}", endpoint, endpoints.get(first), failures.getFirst().getMessage());
        }
        return connection;
      } catch (SQLException e) {
        if (!isConnectionFailure(e)) throw e;
        LOG.debug("endpoint {} refused a connection: {}", endpoint, e.getMessage());
        failures.add(e);
      }
    }
    SQLTransientConnectionException error = new SQLTransientConnectionException(
        "no endpoint of " + endpoints + " accepted a connection; last error: " + failures.getLast().getMessage(),
        "08001", failures.getLast());
    failures.subList(0, failures.size() - 1).forEach(error::addSuppressed);
    throw error;
  }

  /**
   * True when the endpoint could not be reached or cannot take connections now: SQLSTATE class 08,
   * {@code 57P03} (starting up or shutting down), or a socket error in the causes.
   */
  static boolean isConnectionFailure(SQLException error) {
    String state = error.getSQLState();
    if (state != null && (state.startsWith("08") || state.equals("57P03"))) return true;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) return true;
    }
    return false;
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials are minted per connection; use getConnection()");
  }

  private String url(Endpoint endpoint) {
    return "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + database;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Logging goes through SLF4J.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("logging goes through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) return type.cast(this);
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
