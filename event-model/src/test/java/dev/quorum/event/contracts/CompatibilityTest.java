package dev.quorum.event.contracts;

import static dev.quorum.event.contracts.Compatibility.Mode.BACKWARD;
import static dev.quorum.event.contracts.Compatibility.Mode.FORWARD;
import static dev.quorum.event.contracts.Compatibility.Mode.FULL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.event.contracts.Compatibility.Mode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checker on pairs of schemas that must pass and must fail, in each direction. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CompatibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A closed object as the catalogue writes them: a required id, an optional note, a severity. */
  private static final String BASE = """
      {"type":"object","additionalProperties":false,"required":["id","severity"],
       "properties":{"id":{"type":"string","maxLength":256},
                     "note":{"anyOf":[{"$ref":"common.json#/$defs/longText"},{"type":"null"}]},
                     "count":{"type":"integer","minimum":0},
                     "severity":{"type":"string","enum":["critical","error"]}}}""";

  static Stream<Arguments> compatible() {
    return Stream.of(
        pair("an unchanged schema", BASE, BASE, FULL),
        pair("an optional property added", BASE, BASE.replace("\"count\":", "\"owner\":{\"type\":\"string\"},\"count\":"), FULL),
        pair("a description changed", BASE, BASE.replace("\"maxLength\":256}", "\"maxLength\":256,\"description\":\"the id\"}"), FULL),
        pair("an enum value added, for readers only", BASE, BASE.replace("\"error\"]", "\"error\",\"info\"]"), BACKWARD),
        pair("an enum value removed, for old consumers only", BASE, BASE.replace("\"critical\",\"error\"", "\"critical\""), FORWARD),
        pair("null allowed, for readers only", BASE,
            BASE.replace("{\"type\":\"integer\",\"minimum\":0}", "{\"type\":[\"integer\",\"null\"],\"minimum\":0}"), BACKWARD),
        pair("an integer widened to a number, for readers only", BASE, BASE.replace("\"integer\"", "\"number\""), BACKWARD),
        pair("a longer limit, for readers only", BASE, BASE.replace("\"maxLength\":256", "\"maxLength\":1024"), BACKWARD),
        pair("a shorter limit, for old consumers only", BASE, BASE.replace("\"maxLength\":256", "\"maxLength\":64"), FORWARD),
        pair("an optional property made required, for old consumers only", BASE,
            BASE.replace("[\"id\",\"severity\"]", "[\"id\",\"severity\",\"count\"]"), FORWARD),
        pair("a required property made optional, for readers only", BASE, BASE.replace("[\"id\",\"severity\"]", "[\"id\"]"), BACKWARD),
        pair("a null alternative removed, for old consumers only", BASE,
            BASE.replace("{\"anyOf\":[{\"$ref\":\"common.json#/$defs/longText\"},{\"type\":\"null\"}]}",
                "{\"$ref\":\"common.json#/$defs/longText\"}"), FORWARD),
        pair("a new event type's conditional", conditionals("a"), conditionals("a", "b"), FULL));
  }

  static Stream<Arguments> breaking() {
    return Stream.of(
        pair("a property removed", BASE, BASE.replace("\"count\":{\"type\":\"integer\",\"minimum\":0},", ""), FULL, "count: removed"),
        pair("a property removed, for readers too", BASE, BASE.replace("\"count\":{\"type\":\"integer\",\"minimum\":0},", ""),
            BACKWARD, "count: removed"),
        pair("a property retyped", BASE, BASE.replace("{\"type\":\"integer\",\"minimum\":0}", "{\"type\":\"string\"}"), FULL,
            "count: retyped"),
        pair("a reference retargeted", BASE, BASE.replace("longText", "shortText"), FULL, "alternative no longer accepted: {\"$ref\":\"common.json#/$defs/longText\"}"),
        pair("a required property added", BASE,
            BASE.replace("\"count\":", "\"owner\":{\"type\":\"string\"},\"count\":").replace("[\"id\",\"severity\"]", "[\"id\",\"severity\",\"owner\"]"),
            BACKWARD, "owner: required now"),
        pair("an optional property made required", BASE, BASE.replace("[\"id\",\"severity\"]", "[\"id\",\"severity\",\"count\"]"),
            BACKWARD, "count: required now"),
        pair("a required property made optional", BASE, BASE.replace("[\"id\",\"severity\"]", "[\"id\"]"), FORWARD,
            "severity: no longer required"),
        pair("an enum value removed", BASE, BASE.replace("\"critical\",\"error\"", "\"critical\""), BACKWARD, "enum values removed"),
        pair("an enum value added", BASE, BASE.replace("\"error\"]", "\"error\",\"info\"]"), FORWARD, "enum values added: [\"info\"]"),
        pair("null allowed", BASE, BASE.replace("{\"type\":\"integer\",\"minimum\":0}", "{\"type\":[\"integer\",\"null\"],\"minimum\":0}"),
            FORWARD, "count: retyped"),
        pair("a null alternative removed", BASE,
            BASE.replace("{\"anyOf\":[{\"$ref\":\"common.json#/$defs/longText\"},{\"type\":\"null\"}]}",
                "{\"$ref\":\"common.json#/$defs/longText\"}"), BACKWARD, "note: alternative no longer accepted"),
        pair("a null alternative added", BASE.replace("{\"anyOf\":[{\"$ref\":\"common.json#/$defs/longText\"},{\"type\":\"null\"}]}",
            "{\"$ref\":\"common.json#/$defs/longText\"}"), BASE, FORWARD, "note: alternative added"),
        pair("a shorter limit", BASE, BASE.replace("\"maxLength\":256", "\"maxLength\":64"), BACKWARD, "maxLength tightened"),
        pair("a longer limit", BASE, BASE.replace("\"maxLength\":256", "\"maxLength\":1024"), FORWARD, "maxLength loosened"),
        pair("a higher minimum", BASE, BASE.replace("\"minimum\":0", "\"minimum\":1"), BACKWARD, "minimum tightened"),
        pair("a pattern added", BASE, BASE.replace("\"maxLength\":256", "\"maxLength\":256,\"pattern\":\"^[a-z]+$\""), FULL,
            "pattern changed"),
        pair("an open object closed", BASE.replace("\"additionalProperties\":false,", ""), BASE, BACKWARD, "closed to properties"),
        pair("an event type's conditional removed", conditionals("a", "b"), conditionals("a"), FULL, "removed"),
        pair("an event type's data retargeted", conditionals("a"), conditionals("a").replace("data.a.json", "data.z.json"), FULL,
            "refers to data.z.json"),
        pair("a keyword the checker does not compare changed", BASE.replace("{\"type\":\"object\"", "{\"type\":\"object\",\"not\":{\"required\":[\"x\"]}"),
            BASE.replace("{\"type\":\"object\"", "{\"type\":\"object\",\"not\":{\"required\":[\"y\"]}"), FULL, "not changed"));
  }

  @ParameterizedTest(name = "{0} ({3})")
  @MethodSource("compatible")
  void a_compatible_change_passes(String what, JsonNode released, JsonNode next, Mode mode) {
    assertThat(Compatibility.check(released, next, mode)).as(what).isEmpty();
  }

  @ParameterizedTest(name = "{0} ({3})")
  @MethodSource("breaking")
  void a_breaking_change_fails_naming_it(String what, JsonNode released, JsonNode next, Mode mode, String named) {
    List<String> breaks = Compatibility.check(released, next, mode);

    assertThat(breaks).as(what).isNotEmpty();
    assertThat(String.join("\n", breaks)).as(what).contains(named);
  }

  @Test
  void every_breaking_change_in_one_direction_breaks_full_compatibility_too() {
    breaking().forEach(arguments -> {
      Object[] a = arguments.get();
      assertThat(Compatibility.check((JsonNode) a[1], (JsonNode) a[2], FULL)).as((String) a[0]).isNotEmpty();
    });
  }

  @Test
  void a_schema_gone_from_the_catalogue_breaks_it_and_a_new_one_does_not() {
    JsonNode schema = json(BASE);

    assertThat(Compatibility.checkAll(Map.of("a.json", schema), Map.of("b.json", schema), Map.of()))
        .containsExactly("a.json: removed from the catalogue");
    assertThat(Compatibility.checkAll(Map.of("a.json", schema), Map.of("a.json", schema, "b.json", schema), Map.of())).isEmpty();
  }

  @Test
  void a_change_in_a_shared_definition_is_found_where_it_is_defined() {
    String common = "{\"$defs\":{\"shortText\":{\"type\":\"string\",\"maxLength\":256},\"uuid\":{\"type\":\"string\"}}}";

    assertThat(Compatibility.check(json(common), json(common.replace("256", "128")), FULL))
        .containsExactly("$.$defs.shortText: maxLength tightened from 256 to 128");
    assertThat(Compatibility.check(json(common), json(common.replace(",\"uuid\":{\"type\":\"string\"}", "")), FULL))
        .containsExactly("$.$defs.uuid: removed");
  }

  private static String conditionals(String... types) {
    StringBuilder allOf = new StringBuilder();
    for (String type : types) {
      if (!allOf.isEmpty()) allOf.append(',');
      allOf.append("{\"if\":{\"properties\":{\"type\":{\"const\":\"").append(type)
          .append("\"}},\"required\":[\"type\"]},\"then\":{\"properties\":{\"data\":{\"$ref\":\"data.").append(type)
          .append(".json\"}},\"required\":[\"data\"]}}");
    }
    return "{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\"},\"data\":{}},\"allOf\":[" + allOf + "]}";
  }

  private static Arguments pair(String what, String released, String next, Mode mode) {
    return Arguments.of(what, json(released), json(next), mode);
  }

  private static Arguments pair(String what, String released, String next, Mode mode, String named) {
    return Arguments.of(what, json(released), json(next), mode, named);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
