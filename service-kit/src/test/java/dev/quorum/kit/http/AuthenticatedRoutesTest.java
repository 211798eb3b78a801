package dev.quorum.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.kit.metrics.Registries;
import dev.quorum.kit.testing.CapturedLogs;
import dev.quorum.kit.testing.HttpProbe;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuthenticatedRoutesTest {
  private static final String PEPPER = "pepper-from-a-secret-store";
  private static final String PUBLISHER_TOKEN = "publisher-token-1";
  private static final String READER_TOKEN = "reader-token-2";

  private OpsServer server;
  private HttpProbe http;

  @BeforeEach
  void start() {
    BearerAuth auth = BearerAuth.parse(
        "gw:" + TokenHasher.hash(PUBLISHER_TOKEN, PEPPER) + ";source=alertmanager/prod;actor=integration:am;scopes=publish,"
            + "dash:" + TokenHasher.hash(READER_TOKEN, PEPPER) + ";scopes=read", PEPPER);
    server = OpsServer.builder(Registries.prometheus("auth-test"))
        .auth(auth)
        .routes(app -> {
          app.post("/v1/events", ctx -> ctx.status(202).result(BearerAuth.current(ctx).source()), Access.scope("publish"));
          app.get("/v1/whoami", ctx -> ctx.result(BearerAuth.current(ctx).clientId()));
          app.post("/v1/slack", ctx -> ctx.result("signed by slack"), Access.PUBLIC);
        })
        .build()
        .start();
    http = new HttpProbe(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_request_without_a_token_is_401_with_a_bearer_challenge() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/events", "{}");

    // Then
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(response.body()).contains("\"status\":401", "a bearer token is required");
  }

  @Test
  void a_wrong_token_is_401_saying_the_token_is_invalid() throws Exception {
    // When
    HttpResponse<String> wrong = http.post("/v1/events", "{}", "Authorization", "Bearer not-a-known-token");
    HttpResponse<String> unpeppered = http.post("/v1/events", "{}", "Authorization", "Bearer " + BearerAuth.hash(PUBLISHER_TOKEN));
    HttpResponse<String> basic = http.post("/v1/events", "{}", "Authorization", "Basic Z3c6eA==");

    // Then
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
    assertThat(unpeppered.statusCode()).isEqualTo(401);
    assertThat(basic.statusCode()).isEqualTo(401);
  }

  @Test
  void a_valid_token_without_the_routes_scope_is_403() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/events", "{}", "Authorization", "Bearer " + READER_TOKEN);

    // Then
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("client dash lacks the scope publish");
  }

  @Test
  void a_valid_token_with_the_scope_reaches_the_handler_with_its_principal() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/events", "{}", "Authorization", "Bearer " + PUBLISHER_TOKEN);

    // Then
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("alertmanager/prod");
  }

  @Test
  void a_route_declaring_no_scope_still_needs_a_valid_token() throws Exception {
    // When
    HttpResponse<String> anonymous = http.get("/v1/whoami");
    HttpResponse<String> reader = http.get("/v1/whoami", "Authorization", "Bearer " + READER_TOKEN);

    // Then
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(reader.statusCode()).isEqualTo(200);
    assertThat(reader.body()).isEqualTo("dash");
  }

  @Test
  void public_routes_and_the_probes_and_the_scrape_need_no_token() throws Exception {
    // When
    HttpResponse<String> slack = http.post("/v1/slack", "token=whatever");

    // Then
    assertThat(slack.statusCode()).isEqualTo(200);
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(http.get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void the_request_log_names_the_client_but_never_the_token_or_the_body() throws Exception {
    // Given
    try (CapturedLogs logs = new CapturedLogs()) {
      // When
      http.post("/v1/events?trace=secret-in-query", "{\"body\":\"secret-in-body\"}", "Authorization", "Bearer " + PUBLISHER_TOKEN);
      http.post("/v1/events", "{}", "Authorization", "Bearer " + READER_TOKEN + "-guess");

      // Then
      assertThat(logs.text()).contains("POST /v1/events 202", "client=gw", "POST /v1/events 401")
          .doesNotContain(PUBLISHER_TOKEN, READER_TOKEN, "secret-in-body", "secret-in-query", "Authorization");
    }
  }
}
