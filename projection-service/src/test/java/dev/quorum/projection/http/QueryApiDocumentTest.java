package dev.quorum.projection.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.kit.http.BearerAuth;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the routes the query API registers cannot drift apart. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryApiDocumentTest {
  /** What the service's HTTP server (service-kit OpsServer) adds to every service. */
  private static final List<String> SERVER_ROUTES = List.of("get /metrics", "get /healthz", "get /readyz");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  @Test
  void the_document_has_exactly_the_routes_the_query_api_registers() throws IOException {
    // Given the routes as the service registers them on its server
    Set<String> registered = new TreeSet<>(SERVER_ROUTES);
    Javalin app = Javalin.create(config -> config.events.handlerAdded(info -> {
      if (info.getHttpMethod().isHttpMethod()) {
        registered.add(info.getHttpMethod().name().toLowerCase(Locale.ROOT) + " " + info.getPath());
      }
    }));
    try (QueryApi api = new QueryApi(BearerAuth.parse(""), null, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(1))) {
      api.register(app);
      api.registerOps(app);
    }

    // When the served document is read
    Set<String> documented = new TreeSet<>();
    new ObjectMapper().readTree(QueryApi.openApiDocument()).get("paths").properties().forEach(path ->
        path.getValue().fieldNames().forEachRemaining(method -> {
          if (METHODS.contains(method)) documented.add(method + " " + path.getKey());
        }));

    // Then each registered route has an operation in it, and each operation is a registered route
    assertThat(registered).hasSizeGreaterThanOrEqualTo(13);
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void the_served_document_is_the_one_kept_in_the_repository_and_every_operation_answers_problems() throws IOException {
    byte[] kept = Files.readAllBytes(Path.of("src/main/resources", QueryApi.OPENAPI_RESOURCE));
    assertThat(QueryApi.openApiDocument()).isEqualTo(kept);
    JsonNode document = new ObjectMapper().readTree(kept);
    assertThat(document.get("openapi").asText()).startsWith("3.1");
    document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
      JsonNode responses = operation.getValue().get("responses");
      assertThat(responses.has("413")).as("%s %s answers 413", operation.getKey(), path.getKey()).isTrue();
      assertThat(responses.has("500")).as("%s %s answers 500", operation.getKey(), path.getKey()).isTrue();
      if (path.getKey().startsWith("/v1/")) {
        for (String status : List.of("400", "401", "403", "503")) {
          assertThat(responses.has(status)).as("%s %s answers %s", operation.getKey(), path.getKey(), status).isTrue();
        }
      }
    }));
  }
}
