package dev.quorum.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.kit.metrics.Registries;
import dev.quorum.kit.testing.CapturedLogs;
import dev.quorum.kit.testing.HttpProbe;
import io.javalin.http.HttpStatus;
import io.javalin.http.RedirectResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProblemBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Label(String name, String value) {}

  record Alert(String title, int count, List<Label> labels) {
    Alert {
      if (title == null || title.isBlank()) throw new IllegalArgumentException("title must not be blank");
    }
  }

  /** A class Jackson cannot write: the server's own bug, not the client's. */
  static final class Unwritable {
    @SuppressWarnings("unused")
    private final Object hidden = new Object();
  }

  private OpsServer server;
  private HttpProbe http;

  @BeforeEach
  void start() {
    server = OpsServer.builder(Registries.prometheus("problem-test"))
        .maxRequestBytes(256)
        .routes(app -> {
          app.post("/v1/alerts", ctx -> ctx.status(202).result(ctx.bodyAsClass(Alert.class).title()));
          app.post("/v1/echo", ctx -> ctx.result(ctx.body()));
          app.post("/v1/stream", ctx -> {
            try (InputStream in = ctx.req().getInputStream()) {
              ctx.result(in.readNBytes(512));
            } catch (IOException e) {
              throw ProblemException.badRequest("the body could not be read", null);
            }
          });
          app.get("/v1/page", ctx -> ctx.result("limit " + ctx.queryParamAsClass("limit", Integer.class)
              .check(n -> n > 0 && n <= 100, "must be in [1, 100]").get()));
          app.get("/v1/boom", ctx -> {
            throw new IllegalStateException("connection string jdbc:postgresql://db/secret leaked");
          });
          app.post("/v1/manual", ctx -> {
            try {
              ctx.result(JSON.readTree(ctx.body()).toString());
            } catch (JsonProcessingException e) {
              throw new UncheckedIOException(e);
            }
          });
          app.get("/v1/stored", ctx -> {
            try {
              ctx.result(JSON.readTree("{\"corrupt").toString());
            } catch (JsonProcessingException e) {
              throw new IllegalStateException("a stored view is unreadable", e);
            }
          });
          app.get("/v1/old", ctx -> {
            ctx.header("Location", "/v1/new");
            throw new RedirectResponse(HttpStatus.FOUND, "moved");
          });
          app.get("/v1/unwritable", ctx -> ctx.json(new Unwritable()));
          app.get("/v1/busy", ctx -> {
            throw ProblemException.unavailable("Kafka is unavailable", Duration.ofMillis(1_500));
          });
          app.get("/v1/scoped", ctx -> ctx.result("should not be served"), Access.scope("read"));
          app.get("/v1/field", ctx -> {
            throw new ProblemException(422, "Unprocessable Content", "severity is not known", "data.severity")
                .withErrors(List.of("data.severity: not one of sev1..sev5"));
          });
        })
        .build()
        .start();
    http = new HttpProbe(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonNode problem(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(Problems.MEDIA_TYPE));
    return JSON.readTree(response.body());
  }

  @Test
  void a_malformed_json_body_is_a_400_problem_saying_where() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/alerts", "{\"title\": \"db down\", \"count\": }");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = problem(response);
    assertThat(body.get("type").asText()).isEqualTo("about:blank");
    assertThat(body.get("title").asText()).isEqualTo("Bad Request");
    assertThat(body.get("status").asInt()).isEqualTo(400);
    assertThat(body.get("instance").asText()).isEqualTo("/v1/alerts");
    assertThat(body.get("detail").asText()).startsWith("the body is not well-formed JSON").contains("line 1");
  }

  @Test
  void a_value_of_the_wrong_type_is_a_400_problem_naming_the_field() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/alerts", "{\"title\":\"db down\",\"count\":\"many\"}");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(problem(response).get("field").asText()).isEqualTo("count");
  }

  @Test
  void a_nested_field_is_named_by_its_path() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/alerts",
        "{\"title\":\"t\",\"count\":1,\"labels\":[{\"name\":\"a\",\"value\":\"b\"},{\"name\":\"c\",\"value\":[]}]}");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(problem(response).get("field").asText()).isEqualTo("labels[1].value");
  }

  @Test
  void a_value_the_record_refuses_is_a_400_problem_with_its_reason() throws Exception {
    // When
    HttpResponse<String> blank = http.post("/v1/alerts", "{\"title\":\" \",\"count\":1}");
    HttpResponse<String> empty = http.post("/v1/alerts", "");

    // Then
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(problem(blank).get("detail").asText()).contains("title must not be blank");
    assertThat(empty.statusCode()).isEqualTo(400);
  }

  @Test
  void an_invalid_query_parameter_is_a_400_problem_naming_it() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/page?limit=1000");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = problem(response);
    assertThat(body.get("field").asText()).isEqualTo("limit");
    assertThat(body.get("errors").get(0).asText()).contains("must be in [1, 100]");
    assertThat(http.get("/v1/page?limit=10").body()).isEqualTo("limit 10");
  }

  @Test
  void a_problem_carries_its_field_and_errors_as_extension_members() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/field");

    // Then
    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode body = problem(response);
    assertThat(body.get("field").asText()).isEqualTo("data.severity");
    assertThat(body.get("errors").get(0).asText()).isEqualTo("data.severity: not one of sev1..sev5");
  }

  @Test
  void an_unexpected_exception_is_a_generic_500_and_its_detail_goes_only_to_the_log() throws Exception {
    try (CapturedLogs logs = new CapturedLogs()) {
      // When
      HttpResponse<String> response = http.get("/v1/boom");

      // Then
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(problem(response).get("title").asText()).isEqualTo("Internal Server Error");
      assertThat(response.body()).doesNotContain("jdbc:", "IllegalStateException", "at dev.quorum", "ProblemBodiesTest");
      assertThat(logs.text()).contains("GET /v1/boom", "jdbc:postgresql://db/secret leaked", "IllegalStateException");
    }
  }

  @Test
  void a_body_a_handler_parses_itself_is_still_a_400_when_malformed() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/manual", "{\"unterminated");

    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(problem(response).get("detail").asText()).startsWith("the body is not well-formed JSON");
  }

  @Test
  void json_the_server_fails_to_read_from_its_own_data_is_a_500() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/stored");

    // Then
    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void a_response_the_server_cannot_write_is_a_500_not_blamed_on_the_client() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/unwritable");

    // Then
    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void unavailability_is_a_503_with_retry_after_in_whole_seconds() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/busy");

    // Then
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("2");
    assertThat(problem(response).get("detail").asText()).isEqualTo("Kafka is unavailable");
  }

  @Test
  void a_body_announced_over_the_limit_is_413() throws Exception {
    // When
    HttpResponse<String> response = http.post("/v1/echo", "x".repeat(257));

    // Then
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(problem(response).get("detail").asText()).contains("larger than 256 bytes");
  }

  @Test
  void a_chunked_body_over_the_limit_is_413_too() throws Exception {
    // When
    HttpResponse<String> over = http.postChunked("/v1/echo", "x".repeat(10_000));
    HttpResponse<String> under = http.postChunked("/v1/echo", "y".repeat(256));

    // Then
    assertThat(over.statusCode()).isEqualTo(413);
    assertThat(problem(over).get("status").asInt()).isEqualTo(413);
    assertThat(under.statusCode()).isEqualTo(200);
    assertThat(under.body()).isEqualTo("y".repeat(256));
  }

  @Test
  void a_handler_reading_the_stream_itself_meets_the_limit_as_413_even_if_it_catches_io_errors() throws Exception {
    // When
    HttpResponse<String> over = http.postChunked("/v1/stream", "x".repeat(10_000));

    // Then
    assertThat(over.statusCode()).isEqualTo(413);
  }

  @Test
  void a_redirect_thrown_by_a_handler_is_answered_not_treated_as_an_error() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/old");

    // Then
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).contains("/v1/new");
  }

  @Test
  void a_route_asking_for_a_scope_on_a_server_without_auth_is_never_served() throws Exception {
    // When
    HttpResponse<String> response = http.get("/v1/scoped");

    // Then
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("should not be served");
  }
}
