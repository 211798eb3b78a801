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

    // a header added to an answer breaks no client; the instance header no longer sent, or no longer required, does
    com.fasterxml.jackson.databind.node.ObjectNode moreHeaders = released.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) moreHeaders.at("/paths/~1v1~1incidents/get/responses/200/headers"))
        .set("X-Quorum-Something-New", JSON.readTree("{\"schema\":{\"type\":\"string\"}}"));
    com.fasterxml.jackson.databind.node.ObjectNode noInstance = released.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) noInstance.at("/paths/~1v1~1incidents/get/responses/200/headers"))
        .remove("X-Quorum-Instance");
    com.fasterxml.jackson.databind.node.ObjectNode optionalInstance = released.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) optionalInstance.at("/components/headers/Instance")).put("required", false);
    assertThat(breaks(released, moreHeaders)).isEmpty();
    assertThat(breaks(released, noInstance)).contains("GET /v1/incidents 200 header X-Quorum-Instance: no longer always sent");
    assertThat(breaks(released, optionalInstance)).contains("GET /v1/incidents 200 header X-Quorum-Instance: no longer always sent");
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
        String at = where + " " + response.getKey();
        headerBreaks(released, response.getValue().path("headers"), current, after.path("headers"), at, found);
        Compatibility.check(withoutHeaders(response.getValue()), withoutHeaders(after), Mode.FORWARD)
            .forEach(b -> found.add(at + b.substring(1)));
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

  /**
   * A response's headers: one a client could rely on (required) no longer sent, or one whose values are no
   * longer what a client reads, breaks it; a header added does not (a client ignores what it does not know).
   */
  private static void headerBreaks(JsonNode released, JsonNode before, JsonNode current, JsonNode after, String at,
      List<String> found) {
    before.properties().forEach(header -> {
      JsonNode old = resolvedOne(released, header.getValue());
      JsonNode now = after.has(header.getKey()) ? resolvedOne(current, after.get(header.getKey())) : null;
      boolean wasRequired = old.path("required").asBoolean();
      if (now == null || (wasRequired && !now.path("required").asBoolean())) {
        if (wasRequired) found.add(at + " header " + header.getKey() + ": no longer always sent");
        if (now == null) return;
      }
      Compatibility.check(old.path("schema"), now.path("schema"), Mode.FORWARD)
          .forEach(b -> found.add(at + " header " + header.getKey() + b.substring(1)));
    });
  }

  private static JsonNode withoutHeaders(JsonNode response) {
    if (!response.has("headers")) return response;
    com.fasterxml.jackson.databind.node.ObjectNode copy = response.deepCopy();
    copy.remove("headers");
    return copy;
  }

  private static JsonNode resolvedOne(JsonNode document, JsonNode node) {
    return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
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
