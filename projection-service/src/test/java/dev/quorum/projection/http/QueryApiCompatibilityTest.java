package dev.quorum.projection.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.event.contracts.Compatibility;
import dev.quorum.event.contracts.Compatibility.Mode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The query API against its released description ({@code contracts/baseline/query-api.openapi.json}): no
 * route or operation gone, no parameter newly required or narrowed (the server must take every request an
 * old client sends: backward), no response shape a generated client relies on changed (forward).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryApiCompatibilityTest {
  static final Path BASELINE = Path.of("..", "contracts", "baseline", "query-api.openapi.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void no_change_since_the_release_breaks_a_client() throws IOException {
    List<String> breaks = breaks(JSON.readTree(BASELINE.toFile()), JSON.readTree(QueryApi.openApiDocument()));

    assertThat(breaks)
        .as("breaking changes; if one is deliberate, release a new version (README, Contracts: bumping the baseline)")
        .isEmpty();
  }

  @Test
  void the_check_finds_a_removed_route_a_newly_required_parameter_and_a_changed_response() throws IOException {
    JsonNode released = JSON.readTree(QueryApi.openApiDocument());
    String text = released.toString();

    JsonNode withoutSummary = JSON.readTree(text.replace("\"/v1/analytics/summary\"", "\"/v1/analytics/overview\""));
    JsonNode limitRequired = JSON.readTree(text.replace(
        "\"name\":\"limit\",\"in\":\"query\",", "\"name\":\"limit\",\"in\":\"query\",\"required\":true,"));
    JsonNode statusDropped = JSON.readTree(text.replace("\"required\":[\"items\",\"next\"]", "\"required\":[\"items\"]"));

    assertThat(breaks(released, withoutSummary)).anyMatch(b -> b.contains("/v1/analytics/summary: removed"));
    assertThat(breaks(released, limitRequired)).anyMatch(b -> b.contains("limit: required now"));
    assertThat(breaks(released, statusDropped)).anyMatch(b -> b.contains("next: no longer required"));
    assertThat(breaks(released, released)).isEmpty();
  }

  static List<String> breaks(JsonNode released, JsonNode current) {
    List<String> found = new ArrayList<>();
    released.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
      String where = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
      JsonNode now = current.path("paths").path(path.getKey()).path(operation.getKey());
      if (now.isMissingNode()) {
        found.add(path.getKey() + ": removed (" + where + ")");
        return;
      }
      JsonNode oldParameters = resolved(released, operation.getValue().path("parameters"));
      JsonNode newParameters = resolved(current, now.path("parameters"));
      newParameters.forEach(parameter -> {
        JsonNode before = find(oldParameters, parameter);
        boolean required = parameter.path("required").asBoolean();
        if (required && (before == null || !before.path("required").asBoolean())) {
          found.add(where + " " + parameter.path("name").asText() + ": required now");
        }
        if (before != null) {
          Compatibility.check(before.path("schema"), parameter.path("schema"), Mode.BACKWARD)
              .forEach(b -> found.add(where + " " + parameter.path("name").asText() + b.substring(1)));
        }
      });
      operation.getValue().path("responses").properties().forEach(response -> {
        JsonNode after = now.path("responses").path(response.getKey());
        if (after.isMissingNode()) return; // an answer no longer given harms no client
        Compatibility.check(response.getValue(), after, Mode.FORWARD)
            .forEach(b -> found.add(where + " " + response.getKey() + b.substring(1)));
      });
    }));
    JsonNode schemas = current.path("components").path("schemas");
    released.path("components").path("schemas").properties().forEach(schema -> {
      if (!schemas.has(schema.getKey())) found.add("#/components/schemas/" + schema.getKey() + ": removed");
      else Compatibility.check(schema.getValue(), schemas.get(schema.getKey()), Mode.FORWARD)
          .forEach(b -> found.add("#/components/schemas/" + schema.getKey() + b.substring(1)));
    });
    for (String kind : List.of("parameters", "headers", "responses")) {
      JsonNode now = current.path("components").path(kind);
      released.path("components").path(kind).properties().forEach(c -> {
        if (!now.has(c.getKey())) found.add("#/components/" + kind + "/" + c.getKey() + ": removed");
      });
    }
    return found;
  }

  /** The parameters with their references resolved. */
  private static JsonNode resolved(JsonNode document, JsonNode parameters) {
    com.fasterxml.jackson.databind.node.ArrayNode result = JSON.createArrayNode();
    parameters.forEach(p -> result.add(p.has("$ref") ? document.at(p.get("$ref").asText().substring(1)) : p));
    return result;
  }

  private static JsonNode find(JsonNode parameters, JsonNode parameter) {
    for (JsonNode candidate : parameters) {
      if (candidate.path("name").equals(parameter.path("name")) && candidate.path("in").equals(parameter.path("in"))) return candidate;
    }
    return null;
  }
}
