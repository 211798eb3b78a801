package dev.quorum.projection.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/** Asks another instance of the projection: the caller's credentials go along, so every instance checks them. */
final class Peers implements AutoCloseable {
  /** Marks a request that an instance passed on: it is answered where it lands, never passed on again. */
  static final String FORWARDED = "X-Quorum-Forwarded";
  /** Asks an instance for its own share of a list only. */
  static final String SCOPE = "X-Quorum-Scope";
  static final String LOCAL = "local";
  /** The partitions an instance's share of a list covers, comma-separated. */
  static final String PARTITIONS = "X-Quorum-Partitions";

  private final HttpClient client;
  private final Duration timeout;

  Peers(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void close() {
    client.close();
  }

  /**
   * The answer of {@code host} to {@code GET pathAndQuery}, for its share of {@code partitions} (null: the
   * whole answer); {@link IOException} when it cannot be reached.
   */
  HttpResponse<byte[]> get(HostInfo host, String pathAndQuery, String authorization, List<Integer> partitions)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
        .timeout(timeout)
        .header(FORWARDED, "1")
        .GET();
    if (authorization != null) request.header("Authorization", authorization);
    if (partitions != null) {
      request.header(SCOPE, LOCAL);
      request.header(PARTITIONS, partitions.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + host, e);
    }
  }
}
