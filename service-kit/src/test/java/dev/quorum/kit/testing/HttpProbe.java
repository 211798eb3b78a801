package dev.quorum.kit.testing;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Sends real HTTP requests to a server under test and returns the whole response as text. */
public final class HttpProbe {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;

  public HttpProbe(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path));
  }

  public HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(with(at(path), headers).GET());
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return send(with(at(path), headers).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A body of unknown length, sent chunked: no Content-Length to refuse it by. */
  public HttpResponse<String> postChunked(String path, String body, String... headers) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send(with(at(path), headers).POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder with(HttpRequest.Builder request, String... headers) {
    return headers.length == 0 ? request : request.headers(headers);
  }
}
