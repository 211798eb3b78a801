package dev.quorum.warroom.http;

import dev.quorum.kit.http.ProblemException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The two services behind the war room, called with the responder's own token: the projection's query API
 * for reads, the gateway's {@code /v1/events} for actions. Their answers (problem bodies too) go to the page
 * as they are; a service that cannot be reached is a 503.
 */
public final class Upstream implements AutoCloseable {
  /** One answer: status, media type and body. */
  public record Answer(int status, String contentType, byte[] body) {}

  private final HttpClient http;
  private final URI query;
  private final URI gateway;
  private final Duration timeout;

  public Upstream(URI query, URI gateway, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.query = query;
    this.gateway = gateway;
    this.timeout = timeout;
  }

  /** {@code GET} on the query API: {@code path} is built by the war room, each parameter encoded here. */
  public Answer read(String token, String path, Map<String, String> parameters) {
    StringJoiner q = new StringJoiner("&");
    parameters.forEach((name, value) -> {
      if (value != null) q.add(encode(name) + "=" + encode(value));
    });
    URI uri = resolve(query, path + (q.length() == 0 ? "" : "?" + q));
    return send(HttpRequest.newBuilder(uri).GET(), token, "the query API");
  }

  /** {@code POST /v1/events} on the gateway with one CloudEvent. */
  public Answer publish(String token, byte[] cloudEvent) {
    HttpRequest.Builder request = HttpRequest.newBuilder(resolve(gateway, "/v1/events"))
        .header("Content-Type", "application/cloudevents+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(cloudEvent));
    return send(request, token, "the gateway");
  }

  private Answer send(HttpRequest.Builder request, String token, String what) {
    request.timeout(timeout).header("Authorization", "Bearer " + token).header("Accept", "application/json");
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
          response.body());
    } catch (IOException e) {
      throw ProblemException.unavailable(what + " cannot be reached now", 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while asking " + what, 2);
    }
  }

  private static URI resolve(URI base, String pathAndQuery) {
    String text = base.toString();
    return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + pathAndQuery);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    http.close();
  }
}
