package dev.quorum.warroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.kit.metrics.Registries;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The war room's HTTP edge against a stand-in for the query API and the gateway that records what it is sent. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WarRoomRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE_TOKEN = "alice-token-" + UUID.randomUUID();
  private static final String READER_TOKEN = "reader-token-" + UUID.randomUUID();
  private static final UUID INCIDENT = UUID.randomUUID();

  /** One request the stand-in received. */
  record Received(String method, String pathAndQuery, String authorization, String body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private HttpServer upstream;
  private OpsServer server;
  private Broadcaster broadcaster;
  private String base;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders().getFirst("Authorization"), body));
      byte[] answer = exchange.getRequestMethod().equals("POST")
          ? "{\"events\":[{\"id\":\"e1\"}]}".getBytes(StandardCharsets.UTF_8) : "{\"items\":[],\"next\":null}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 202 : 200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    upstream.start();
    URI stand = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
    BearerAuth responders = BearerAuth.parse("alice:" + TokenHasher.hash(ALICE_TOKEN, null) + ";actor=user:alice;scopes=publish+read,"
        + "reader:" + TokenHasher.hash(READER_TOKEN, null) + ";actor=user:reader;scopes=read", null);
    PrometheusMeterRegistry registry = Registries.prometheus("war-room-test");
    broadcaster = new Broadcaster(1);
    WarRoomRoutes routes = new WarRoomRoutes(responders, new Sessions(Clock.systemUTC(), Duration.ofHours(1), 100),
        new SessionCookie(false), new Upstream(stand, stand, Duration.ofSeconds(5)), broadcaster, new Assets(), Clock.systemUTC(), registry);
    server = OpsServer.builder(registry).port(0).maxRequestBytes(64 * 1024).routes(routes::register).build().start();
    base = server.baseUrl();
  }

  @AfterEach
  void stop() {
    server.close();
    broadcaster.close();
    upstream.stop(0);
  }

  // ------------------------------------------------------------------ sign-in

  @Test
  void signing_in_sets_an_http_only_strict_cookie_and_answers_the_csrf_token_but_never_the_bearer_token() throws Exception {
    HttpResponse<String> signIn = signIn(ALICE_TOKEN);

    assertThat(signIn.statusCode()).isEqualTo(201);
    String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).matches("quorum_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
    JsonNode body = JSON.readTree(signIn.body());
    assertThat(body.get("actor").asText()).isEqualTo("user:alice");
    assertThat(body.get("csrf").asText()).hasSize(43);
    assertThat(signIn.body()).doesNotContain(ALICE_TOKEN);
    assertThat(signIn.headers().map().toString()).doesNotContain(ALICE_TOKEN);
  }

  @Test
  void a_wrong_token_is_refused_with_401_naming_the_token_field_and_no_cookie() throws Exception {
    HttpResponse<String> refused = signIn("not-a-token");

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(JSON.readTree(refused.body()).get("field").asText()).isEqualTo("token");
  }

  @Test
  void a_token_without_the_publish_scope_cannot_sign_in() throws Exception {
    HttpResponse<String> refused = signIn(READER_TOKEN);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("publish");
  }

  @Test
  void malformed_and_oversized_sign_ins_are_400_naming_the_field() throws Exception {
    assertThat(post("/api/session", "{\"token\": 7}", Map.of()).statusCode()).isEqualTo(400);
    HttpResponse<String> tooLong = post("/api/session", "{\"token\":\"" + "a".repeat(WarRoomRoutes.MAX_TOKEN_LENGTH + 1) + "\"}", Map.of());
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(tooLong.body()).get("field").asText()).isEqualTo("token");
    HttpResponse<String> control = post("/api/session", "{\"token\":\"abc\\r\\nX-Injected: 1\"}", Map.of());
    assertThat(control.statusCode()).isEqualTo(400);
    assertThat(post("/api/session", "not json", Map.of()).statusCode()).isEqualTo(400);
  }

  @Test
  void a_body_over_the_limit_is_413() throws Exception {
    HttpResponse<String> large = post("/api/session", "{\"token\":\"" + "a".repeat(70 * 1024) + "\"}", Map.of());
    assertThat(large.statusCode()).isEqualTo(413);
  }

  // ------------------------------------------------------------------ pages and reads

  @Test
  void without_a_session_pages_go_to_sign_in_and_the_api_answers_401() throws Exception {
    HttpResponse<String> board = get("/", null);
    assertThat(board.statusCode()).isEqualTo(303);
    assertThat(board.headers().firstValue("Location")).contains("/signin");
    assertThat(get("/signin", null).statusCode()).isEqualTo(200);
    assertThat(get("/api/incidents", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/session", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/stream", null).statusCode()).isEqualTo(401);
    assertThat(received).isEmpty();
  }

  @Test
  void pages_forbid_framing_and_scripts_from_elsewhere() throws Exception {
    HttpResponse<String> page = get("/signin", null);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.body()).doesNotContain("<script>").doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void reads_go_to_the_query_api_with_the_responders_token_and_only_the_known_parameters() throws Exception {
    String cookie = cookie(signIn(ALICE_TOKEN));

    HttpResponse<String> list = get("/api/incidents?status=triggered,acknowledged&severity=critical&token=x&limit=5", cookie);
    HttpResponse<String> asOf = get("/api/incidents/" + INCIDENT + "/timeline?asOf=2026-11-27T08:00:00Z&axis=occurred&limit=10", cookie);

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(asOf.statusCode()).isEqualTo(200);
    assertThat(received).extracting(Received::authorization).containsOnly("Bearer " + ALICE_TOKEN);
    assertThat(received.get(0).pathAndQuery()).isEqualTo("/v1/incidents?status=triggered%2Cacknowledged&severity=critical&limit=5");
    assertThat(received.get(1).pathAndQuery())
        .isEqualTo("/v1/incidents/" + INCIDENT + "/timeline?limit=10&asOf=2026-11-27T08%3A00%3A00Z&axis=occurred");
    assertThat(get("/api/incidents/not-an-id", cookie).statusCode()).isEqualTo(400);
  }

  // ------------------------------------------------------------------ actions

  @Test
  void an_action_needs_the_sessions_csrf_token() throws Exception {
    HttpResponse<String> signIn = signIn(ALICE_TOKEN);
    String cookie = cookie(signIn);

    HttpResponse<String> without = post(actions(), "{\"action\":\"acknowledge\"}", Map.of("Cookie", cookie));
    HttpResponse<String> wrong = post(actions(), "{\"action\":\"acknowledge\"}", Map.of("Cookie", cookie, "X-CSRF-Token", "guess"));
    String otherCsrf = JSON.readTree(signIn(ALICE_TOKEN).body()).get("csrf").asText();
    HttpResponse<String> another = post(actions(), "{\"action\":\"acknowledge\"}", Map.of("Cookie", cookie, "X-CSRF-Token", otherCsrf));

    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(another.statusCode()).as("another session's token").isEqualTo(403);
    assertThat(JSON.readTree(without.body()).get("field").asText()).isEqualTo("X-CSRF-Token");
    assertThat(received).isEmpty();
  }

  @Test
  void an_action_from_another_origin_is_refused_even_with_the_csrf_token() throws Exception {
    HttpResponse<String> signIn = signIn(ALICE_TOKEN);
    String csrf = JSON.readTree(signIn.body()).get("csrf").asText();

    HttpResponse<String> foreign = post(actions(), "{\"action\":\"acknowledge\"}",
        Map.of("Cookie", cookie(signIn), "X-CSRF-Token", csrf, "Origin", "https://evil.example"));
    HttpResponse<String> crossSite = post(actions(), "{\"action\":\"acknowledge\"}",
        Map.of("Cookie", cookie(signIn), "X-CSRF-Token", csrf, "Sec-Fetch-Site", "cross-site"));

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(received).isEmpty();
  }

  @Test
  void an_action_goes_to_the_gateway_as_an_event_with_the_responders_token_and_no_actor() throws Exception {
    HttpResponse<String> signIn = signIn(ALICE_TOKEN);
    String csrf = JSON.readTree(signIn.body()).get("csrf").asText();

    HttpResponse<String> noted = post(actions(), "{\"action\":\"note\",\"text\":\"rolling back\"}",
        Map.of("Cookie", cookie(signIn), "X-CSRF-Token", csrf, "Origin", base));

    assertThat(noted.statusCode()).isEqualTo(202);
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.pathAndQuery()).isEqualTo("/v1/events");
      assertThat(r.authorization()).isEqualTo("Bearer " + ALICE_TOKEN);
      JsonNode event = JSON.readTree(r.body());
      assertThat(event.get("type").asText()).isEqualTo("quorum.note.added");
      assertThat(event.get("subject").asText()).isEqualTo(INCIDENT.toString());
      assertThat(event.get("data").get("text").asText()).isEqualTo("rolling back");
      assertThat(event.has("actor")).isFalse();
      assertThat(event.has("source")).isFalse();
    });
  }

  @Test
  void an_action_that_names_an_actor_is_400_naming_the_field() throws Exception {
    HttpResponse<String> signIn = signIn(ALICE_TOKEN);
    String csrf = JSON.readTree(signIn.body()).get("csrf").asText();

    HttpResponse<String> refused = post(actions(), "{\"action\":\"acknowledge\",\"actor\":\"user:mallory\"}",
        Map.of("Cookie", cookie(signIn), "X-CSRF-Token", csrf));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).get("field").asText()).isEqualTo("actor");
    assertThat(received).isEmpty();
  }

  @Test
  void signing_out_ends_the_session_and_clears_the_cookie() throws Exception {
    HttpResponse<String> signIn = signIn(ALICE_TOKEN);
    String cookie = cookie(signIn);
    String csrf = JSON.readTree(signIn.body()).get("csrf").asText();

    HttpResponse<String> out = send("DELETE", "/api/session", null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));

    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("quorum_session=; Max-Age=0");
    assertThat(get("/api/session", cookie).statusCode()).isEqualTo(401);
  }

  // ------------------------------------------------------------------ helpers

  private String actions() {
    return "/api/incidents/" + INCIDENT + "/actions";
  }

  private HttpResponse<String> signIn(String token) throws Exception {
    return post("/api/session", "{\"token\":\"" + token + "\"}", Map.of());
  }

  private static String cookie(HttpResponse<String> signIn) {
    return signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    return send("GET", path, null, cookie == null ? Map.of() : Map.of("Cookie", cookie));
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    return send("POST", path, body, headers);
  }

  private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) request.header("Content-Type", "application/json");
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
