package dev.quorum.ingest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.ingest.config.Gateway;
import dev.quorum.ingest.config.GatewayConfig;
import dev.quorum.ingest.slack.SlackSignature;
import dev.quorum.kit.http.BearerAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A running gateway on a free port with known clients, and an HTTP client to talk to it. */
public final class GatewayHarness implements AutoCloseable {
  public static final String ALERTMANAGER_TOKEN = "am-token-3b1f9c";
  public static final String OPS_BOT_TOKEN = "ops-bot-token-77a2";
  public static final String READER_TOKEN = "reader-token-19d0";
  /** PagerDuty's documented routing key, configured as a client token so its examples authenticate as sent. */
  public static final String PAGERDUTY_ROUTING_KEY = "samplekeyhere";
  public static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  public static final long MAX_BODY = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final SlackSignature slack = new SlackSignature(SLACK_SECRET, SlackSignature.DEFAULT_MAX_SKEW);

  public GatewayHarness(String bootstrapServers, String topic, Clock clock, Map<String, String> overrides) {
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", bootstrapServers);
    config.put("gateway.topic.actions", topic);
    config.put("gateway.http.host", "127.0.0.1");
    config.put("gateway.http.port", "0");
    config.put("gateway.ops.host", "127.0.0.1");
    config.put("gateway.ops.port", "0");
    config.put("gateway.http.max.body.bytes", Long.toString(MAX_BODY));
    config.put("gateway.events.batch.max", "50");
    config.put("gateway.clients", String.join(",",
        "am:" + BearerAuth.hash(ALERTMANAGER_TOKEN) + ";source=alertmanager/prod-eu;actor=integration:alertmanager;scopes=publish+alertmanager+pagerduty",
        "ops-bot:" + BearerAuth.hash(OPS_BOT_TOKEN) + ";source=chatops/ops-bot;scopes=publish+act-on-behalf",
        "dashboards:" + BearerAuth.hash(READER_TOKEN) + ";scopes=read",
        "pd-nagios:" + BearerAuth.hash(PAGERDUTY_ROUTING_KEY) + ";source=pagerduty/nagios;actor=integration:nagios;scopes=pagerduty"));
    config.put("gateway.slack.signing.secret", SLACK_SECRET);
    config.put("kafka.client.reconnect.backoff.max.ms", "500");
    config.putAll(overrides);
    this.gateway = new Gateway(GatewayConfig.parse(config), clock).start();
  }

  public Gateway gateway() {
    return gateway;
  }

  public HttpResponse<String> post(String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) request.header("Authorization", "Bearer " + token);
    if (contentType != null) request.header("Content-Type", contentType);
    return send(request.build());
  }

  public HttpResponse<String> post(String path, String token, String body) {
    return post(path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  /** A slash command signed as Slack signs it, at {@code signedAt}. */
  public HttpResponse<String> slack(byte[] form, Instant signedAt) {
    String timestamp = Long.toString(signedAt.getEpochSecond());
    return slack(form, timestamp, slack.sign(timestamp, form));
  }

  public HttpResponse<String> slack(byte[] form, String timestamp, String signature) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/integrations/slack"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofByteArray(form));
    if (timestamp != null) request.header(SlackSignature.TIMESTAMP_HEADER, timestamp);
    if (signature != null) request.header(SlackSignature.SIGNATURE_HEADER, signature);
    return send(request.build());
  }

  /** A GET on the public port. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /** A GET on the ops port (/metrics, /healthz, /readyz, /openapi.json). */
  public HttpResponse<String> ops(String path) {
    return send(HttpRequest.newBuilder(URI.create(gateway.opsUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return gateway.baseUrl();
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  @Override
  public void close() {
    gateway.close();
    http.close();
  }
}
