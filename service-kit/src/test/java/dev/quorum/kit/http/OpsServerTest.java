package dev.quorum.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.kit.metrics.Registries;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpsServerTest {
  private static final String TOKEN = "s3cret-token";
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private PrometheusMeterRegistry registry;
  private OpsServer server;

  @BeforeEach
  void start() {
    registry = Registries.prometheus("test");
    registry.counter("quorum_test_events", "kind", "demo").increment(3);
    BearerAuth auth = BearerAuth.parse("reader:" + BearerAuth.hash("read-only") + ";scopes=read,"
        + "gw:" + BearerAuth.hash(TOKEN) + ";source=alertmanager/prod;actor=integration:am;scopes=publish");
    server = OpsServer.builder(registry)
        .maxRequestBytes(64)
        .check("broker", () -> ready.get() ? HealthCheck.Result.up("connected") : HealthCheck.Result.down("no broker"))
        .routes(app -> {
          app.post("/v1/things", ctx -> {
            Principal principal = auth.authenticate(ctx, "publish");
            String body = ctx.body();
            if (!body.startsWith("{")) throw ProblemException.badRequest("the body is not a JSON object", "thing");
            ctx.status(202).result(principal.source());
          });
          app.get("/v1/boom", ctx -> {
            throw new IllegalStateException("internal detail that must not leak");
          });
          app.get("/v1/busy", ctx -> {
            throw ProblemException.unavailable("Kafka is unavailable", 5);
          });
        })
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
    server.close(); // idempotent
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
  }

  @Test
  void metrics_are_served_in_prometheus_text_format() throws Exception {
    // When
    HttpResponse<String> response = send(at("/metrics"));

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(response.body()).contains("quorum_test_events_total{kind=\"demo\",service=\"test\"} 3.0", "jvm_memory_used_bytes");
  }

  @Test
  void metrics_are_served_as_openmetrics_to_a_scraper_that_asks_for_it() throws Exception {
    // When
    HttpResponse<String> response = send(at("/metrics").header("Accept", "application/openmetrics-text; version=1.0.0"));

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
    assertThat(response.body()).contains("quorum_test_events_total{kind=\"demo\",service=\"test\"} 3.0").endsWith("# EOF\n");
  }

  @Test
  void readiness_follows_the_checks_both_ways_and_liveness_does_not() throws Exception {
    // Given
    assertThat(send(at("/readyz")).statusCode()).isEqualTo(200);

    // When
    ready.set(false);
    HttpResponse<String> down = send(at("/readyz"));
    HttpResponse<String> alive = send(at("/healthz"));
    ready.set(true);
    HttpResponse<String> up = send(at("/readyz"));

    // Then
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"broker\"", "no broker", "DOWN");
    assertThat(alive.statusCode()).isEqualTo(200);
    assertThat(alive.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"status\":\"UP\"", "connected");
  }

  @Test
  void a_check_that_throws_counts_as_down_and_a_check_added_after_start_counts() throws Exception {
    // Given
    server.check("store", () -> {
      throw new IllegalStateException("store not restored");
    });

    // When
    HttpResponse<String> response = send(at("/readyz"));

    // Then
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"store\"", "the check failed").doesNotContain("store not restored", "IllegalState");
  }

  @Test
  void a_missing_or_wrong_token_gets_401_and_a_missing_scope_403() throws Exception {
    // When
    HttpResponse<String> missing = send(at("/v1/things").POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> wrong = send(at("/v1/things").header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> noScope = send(at("/v1/things").header("Authorization", "Bearer read-only").POST(HttpRequest.BodyPublishers.ofString("{}")));

    // Then
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(noScope.statusCode()).isEqualTo(403);
  }

  @Test
  void a_good_token_carries_the_clients_identity() throws Exception {
    // When
    HttpResponse<String> ok = send(at("/v1/things").header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")));

    // Then
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(ok.body()).isEqualTo("alertmanager/prod");
  }

  @Test
  void bad_input_is_a_400_problem_naming_the_field() throws Exception {
    // When
    HttpResponse<String> response = send(at("/v1/things").header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("[1]")));

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"status\":400", "\"field\":\"thing\"", "\"instance\":\"/v1/things\"");
  }

  @Test
  void a_route_with_its_own_limit_takes_larger_bodies_and_the_others_keep_the_servers() throws Exception {
    // Given a server whose webhook route takes 4 KiB and everything else 64 bytes
    String big = "{\"x\":\"" + "y".repeat(1000) + "\"}";
    try (OpsServer limited = OpsServer.builder(registry).maxRequestBytes(64).maxRequestBytes("/v1/webhook", 4096)
        .routes(app -> {
          app.post("/v1/webhook", ctx -> ctx.status(202).result(Integer.toString(ctx.bodyAsBytes().length)));
          app.post("/v1/other", ctx -> ctx.status(202).result(Integer.toString(ctx.bodyAsBytes().length)));
        }).build().start()) {
      var probe = new dev.quorum.kit.testing.HttpProbe(limited.baseUrl());

      // When the same body goes to both, announced and chunked
      // Then the webhook takes it and the other route refuses it
      assertThat(probe.post("/v1/webhook", big).statusCode()).isEqualTo(202);
      assertThat(probe.postChunked("/v1/webhook", big).statusCode()).isEqualTo(202);
      assertThat(probe.post("/v1/other", big).statusCode()).isEqualTo(413);
      assertThat(probe.postChunked("/v1/other", big).statusCode()).isEqualTo(413);
      assertThat(probe.post("/v1/webhook", big.repeat(5)).statusCode()).isEqualTo(413);
    }
  }

  @Test
  void with_an_ops_port_the_ops_endpoints_leave_the_main_port() throws Exception {
    // Given a server whose ops endpoints and API description have a port of their own
    try (OpsServer split = OpsServer.builder(registry).opsPort("127.0.0.1", 0)
        .check("broker", () -> HealthCheck.Result.up("connected"))
        .routes(app -> app.get("/v1/public", ctx -> ctx.result("hello"), Access.PUBLIC))
        .opsRoutes(app -> app.get("/openapi.json", ctx -> ctx.result("{}"), Access.PUBLIC))
        .build().start()) {
      var main = new dev.quorum.kit.testing.HttpProbe(split.baseUrl());
      var ops = new dev.quorum.kit.testing.HttpProbe(split.opsUrl());

      // Then the main port serves only the service's routes
      assertThat(split.opsPort()).isNotEqualTo(split.port());
      assertThat(main.get("/v1/public").statusCode()).isEqualTo(200);
      for (String path : new String[] {"/metrics", "/healthz", "/readyz", "/openapi.json"}) {
        assertThat(main.get(path).statusCode()).as(path).isEqualTo(404);
        assertThat(ops.get(path).statusCode()).as(path).isEqualTo(200);
      }
      assertThat(ops.get("/metrics").body()).contains("quorum_test_events_total");
    }
  }

  @Test
  void a_body_over_the_limit_is_413() throws Exception {
    // When
    HttpResponse<String> response = send(at("/v1/things").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("{\"x\":\"" + "y".repeat(200) + "\"}")));

    // Then
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("larger than 64 bytes");
  }

  @Test
  void an_unexpected_error_is_a_500_problem_without_internals() throws Exception {
    // When
    HttpResponse<String> response = send(at("/v1/boom"));

    // Then
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("\"status\":500").doesNotContain("internal detail", "IllegalStateException", "at dev.");
  }

  @Test
  void unavailability_is_a_503_with_retry_after() throws Exception {
    // When
    HttpResponse<String> response = send(at("/v1/busy"));

    // Then
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("5");
  }

  @Test
  void an_unknown_route_is_a_404_problem() throws Exception {
    // When
    HttpResponse<String> response = send(at("/v1/nothing-here"));

    // Then
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
  }
}
