package dev.quorum.projection.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.projection.kafka.ViewSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/** A client of one instance's HTTP API, with the test token. */
public final class Api {
  public static final String TOKEN = "projection-test-token";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final HostInfo host;

  /** Serves {@code api}'s routes and its documents on a free loopback port, as the projection does. */
  public static dev.quorum.kit.http.OpsServer serve(dev.quorum.projection.http.QueryApi api) {
    java.util.function.Consumer<io.javalin.Javalin> routes = api::register;
    return dev.quorum.kit.http.OpsServer.builder(dev.quorum.kit.metrics.Registries.prometheus("test")).host("127.0.0.1")
        .port(0).routes(routes).opsRoutes(api::registerOps).build().start();
  }

  public Api(HostInfo host) {
    this.host = host;
  }

  /**
   * An answer: status, the instance that answered, the body as JSON (or null when it is not JSON), its
   * text, Retry-After, and every header.
   */
  public record Answer(int status, String servedBy, JsonNode json, String text, String retryAfter, HttpHeaders headers) {}

  public Answer get(String pathAndQuery) {
    return get(pathAndQuery, "Bearer " + TOKEN);
  }

  public Answer get(String pathAndQuery, String authorization) {
    HttpRequest.Builder request = request(pathAndQuery).GET();
    if (authorization != null) request.header("Authorization", authorization);
    return send(request);
  }

  /** A request to this instance, to finish and {@link #send}. */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(20));
  }

  public String url(String pathAndQuery) {
    return "http://" + host.host() + ":" + host.port() + pathAndQuery;
  }

  public Answer send(HttpRequest.Builder request) {
    String pathAndQuery = request.build().uri().getRawPath();
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = ViewSerdes.JSON.readTree(response.body());
      } catch (IOException notJson) {
        json = null;
      }
      return new Answer(response.statusCode(), response.headers().firstValue("X-Quorum-Instance").orElse(null),
          json, response.body(), response.headers().firstValue("Retry-After").orElse(null), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + pathAndQuery + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The first sample of a meter on {@code /metrics}, or NaN when there is none. */
  public double metric(String name) {
    return get("/metrics", null).text().lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }

  public HostInfo host() {
    return host;
  }
}
