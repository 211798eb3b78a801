package dev.quorum.projection.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import dev.quorum.event.testing.Contracts;
import dev.quorum.projection.kafka.ViewSerdes;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The query API's OpenAPI document as an instance serves it, checking real answers against it: each
 * answer's status must be documented for its route, its media type too, its body must conform to the
 * documented schema (networknt, JSON Schema 2020-12, formats asserted; the document's references to
 * {@code schemas/...} are fetched from the instance, as a client would), each required header must be
 * there and conform, and each header of the service's own that it sends must be documented.
 */
public final class ApiContract {
  private final JsonNode document;
  private final String location;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final Set<String> checked = ConcurrentHashMap.newKeySet();

  private ApiContract(JsonNode document, String location) {
    this.document = document;
    this.location = location;
    this.registry = Contracts.registry(builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources()));
  }

  /** The document the instance serves at {@code /openapi.json}. */
  public static ApiContract servedBy(Api api) {
    Api.Answer answer = api.get("/openapi.json", null);
    assertThat(answer.status()).as("GET /openapi.json").isEqualTo(200);
    return new ApiContract(answer.json(), api.url("/openapi.json"));
  }

  public JsonNode document() {
    return document;
  }

  /**
   * Checks an answer of {@code GET route} (the route as documented, e.g. {@code /v1/incidents/{id}}) and
   * returns it.
   */
  public Api.Answer check(String route, Api.Answer answer) {
    JsonNode operation = document.path("paths").path(route).path("get");
    assertThat(operation.isObject()).as("GET %s is documented", route).isTrue();
    String status = Integer.toString(answer.status());
    String pointer = "/paths/" + escape(route) + "/get/responses/" + status;
    JsonNode response = operation.path("responses").path(status);
    assertThat(response.isObject()).as("GET %s documents status %s (answer: %s)", route, status, answer.text()).isTrue();
    if (response.has("$ref")) {
      pointer = response.get("$ref").asText().substring(1);
      response = document.at(pointer);
    }
    String mediaType = answer.headers().firstValue("Content-Type").orElse("").split(";")[0].trim().toLowerCase(Locale.ROOT);
    JsonNode content = response.path("content");
    if (!content.isMissingNode()) {
      assertThat(content.has(mediaType)).as("GET %s %s documents the media type %s", route, status, mediaType).isTrue();
      if (content.path(mediaType).has("schema")) {
        // a text body is one string to its schema
        String body = mediaType.endsWith("json") ? answer.text() : quoted(answer.text());
        Contracts.requireValid(schema(pointer + "/content/" + escape(mediaType) + "/schema"), "GET " + route + " " + status, body);
      }
    }
    // what the service adds of its own (X-Quorum-*, Retry-After) must be documented too, or a client cannot know it
    Set<String> documented = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    response.path("headers").fieldNames().forEachRemaining(documented::add);
    for (String name : answer.headers().map().keySet()) {
      if (name.toLowerCase(Locale.ROOT).startsWith("x-quorum-") || name.equalsIgnoreCase("retry-after")) {
        assertThat(documented).as("GET %s %s documents the header %s it sends", route, status, name).contains(name);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      String headerPointer = pointer + "/headers/" + escape(header.getKey());
      JsonNode definition = header.getValue();
      if (definition.has("$ref")) {
        headerPointer = definition.get("$ref").asText().substring(1);
        definition = document.at(headerPointer);
      }
      String value = answer.headers().firstValue(header.getKey()).orElse(null);
      if (value == null) {
        assertThat(definition.path("required").asBoolean()).as("GET %s %s has the header %s", route, status, header.getKey()).isFalse();
        continue;
      }
      Contracts.requireValid(schema(headerPointer + "/schema"), header.getKey(), quoted(value));
    }
    checked.add("GET " + route + " " + status);
    return answer;
  }

  /** Every route and status checked so far, e.g. {@code GET /v1/incidents 200}. */
  public Set<String> checked() {
    return new TreeSet<>(checked);
  }

  /** Every GET route of the document. */
  public Set<String> routes() {
    Set<String> routes = new TreeSet<>();
    document.path("paths").properties().forEach(path -> {
      if (path.getValue().has("get")) routes.add(path.getKey());
    });
    return routes;
  }

  private Schema schema(String pointer) {
    return schemas.computeIfAbsent(pointer, p -> {
      Schema schema = registry.getSchema(SchemaLocation.of(location + "#" + encode(p)));
      schema.initializeValidators();
      return schema;
    });
  }

  /** A JSON Pointer token (RFC 6901). */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** A JSON Pointer as a URI fragment: characters a fragment cannot hold percent-encoded. */
  private static String encode(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.split("/", -1)) {
      if (!out.isEmpty() || !part.isEmpty()) out.append('/');
      out.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~"));
    }
    return out.toString();
  }

  private static String quoted(String value) {
    try {
      return ViewSerdes.JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
