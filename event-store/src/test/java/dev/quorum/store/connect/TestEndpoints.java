package dev.quorum.store.connect;

import dev.quorum.stack.PostgresDatabase;
import dev.quorum.store.config.DatabaseSettings;
import dev.quorum.store.config.DsqlSettings;
import dev.quorum.store.jdbc.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Local PostgreSQL servers standing in for the endpoints of a DSQL cluster. */
final class TestEndpoints {
  private TestEndpoints() {}

  /** {@code host:port} of a database, as a DSQL endpoint is written. */
  static String endpoint(PostgresDatabase database) {
    URI uri = uri(database);
    return uri.getHost() + ":" + uri.getPort();
  }

  static String databaseName(PostgresDatabase database) {
    return uri(database).getPath().substring(1);
  }

  /** An endpoint where nothing listens: connecting to it is refused at once. */
  static String refusing() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DSQL-mode settings over plain PostgreSQL: TLS off, as a test server has none. */
  static DatabaseSettings dsqlOverPlainPostgres(List<String> endpoints, String database, String user, int poolSize) {
    DsqlSettings dsql = new DsqlSettings(endpoints, "us-east-1", database, DsqlSettings.TEST_WITHOUT_TLS, DsqlSettings.DEFAULT_TOKEN_LIFETIME);
    return new DatabaseSettings(Dialect.DSQL, null, user, null, poolSize, Duration.ofSeconds(5), Duration.ofMinutes(50), dsql);
  }

  private static URI uri(PostgresDatabase database) {
    String url = database.jdbcUrl();
    int query = url.indexOf('?');
    return URI.create((query < 0 ? url : url.substring(0, query)).substring("jdbc:".length()));
  }
}
