package dev.quorum.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.testing.Contracts;
import dev.quorum.event.testing.EventArbitraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The event schemas against what the codec really writes and refuses. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<Event> events() {
    return EventArbitraries.events();
  }

  @Property(tries = 200)
  @Label("every event the codec encodes conforms to event.json, a stored one to stored-event.json too")
  void every_encoded_event_conforms(@ForAll("events") Event event) {
    Statistics.collect(event.data() instanceof EventData.Unknown ? "(unknown type)" : event.type());
    String json = EventCodec.encodeToString(event);

    Contracts.requireValid("event.json", json);
    if (event.stored() != null) {
      Contracts.requireValid("stored-event.json", json);
    } else {
      assertThat(Contracts.violations("stored-event.json", json)).isNotEmpty();
    }
    if (!(event.data() instanceof EventData.Unknown)) {
      Contracts.requireValid("data." + event.type().substring(EventData.PREFIX.length()) + ".json",
          EventCodec.dataText(event.data()));
    }
  }

  @Test
  void the_catalogue_has_a_data_schema_for_every_type_and_no_other() {
    Set<String> dataSchemas = new TreeSet<>();
    Schemas.names().stream().filter(n -> n.startsWith("data.")).forEach(n -> dataSchemas.add(n));
    Set<String> expected = new TreeSet<>();
    EventCodec.KNOWN_TYPES.forEach(t -> expected.add("data." + t.substring(EventData.PREFIX.length()) + ".json"));

    assertThat(dataSchemas).isEqualTo(expected);
  }

  @Test
  void the_served_schemas_are_the_files_kept_in_the_repository() throws IOException {
    Path directory = Path.of("src/main/resources", Schemas.DIRECTORY);
    try (Stream<Path> files = Files.list(directory)) {
      List<String> kept = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Schemas.INDEX)).sorted().toList();
      assertThat(Schemas.names()).containsExactlyInAnyOrderElementsOf(kept);
    }
    for (String name : Schemas.names()) {
      JsonNode schema = JSON.readTree(Schemas.find(name).orElseThrow());
      assertThat(schema.path("$schema").asText()).as(name).isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(Files.readAllBytes(directory.resolve(name))).isEqualTo(Schemas.find(name).orElseThrow());
    }
    assertThat(Schemas.find("no-such.json")).isEmpty();
    assertThat(Schemas.find(Schemas.INDEX)).isEmpty();
  }

  static Stream<Arguments> wrong_events() {
    return Stream.of(
        wrong("a data field of the wrong type", e -> data(e).put("title", 42)),
        wrong("a misspelt data field", e -> data(e).put("titel", "Disk full")),
        wrong("a missing required data field", e -> data(e).remove("title")),
        wrong("a severity outside the scale", e -> data(e).put("severity", "catastrophic")),
        wrong("a blank title", e -> data(e).put("title", "   ")),
        wrong("a NUL in a title", e -> data(e).put("title", "disk\u0000full")),
        wrong("an id that is not a UUID", e -> e.put("id", "42")),
        wrong("an unknown envelope attribute", e -> e.put("priority", "high")),
        wrong("a time that is not RFC 3339", e -> e.put("time", "yesterday")),
        wrong("another specversion", e -> e.put("specversion", "0.3")),
        wrong("no actor", e -> e.remove("actor")),
        wrong("half of the pipeline attributes", e -> e.put("ingestedat", "2026-06-15T02:14:07Z")),
        wrong("a known type without data", e -> e.remove("data")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrong_events")
  void a_wrong_event_fails_its_schema(String what, Consumer<ObjectNode> change) throws IOException {
    // Given a valid event, then made wrong
    ObjectNode event = triggered();
    Contracts.requireValid("event.json", event.toString());
    change.accept(event);

    // Then
    assertThat(Contracts.violations("event.json", event.toString())).as(what).isNotEmpty();
  }

  @Test
  void the_data_of_every_type_of_the_catalogue_is_checked_by_its_schema() throws IOException {
    for (String type : EventCodec.KNOWN_TYPES) {
      ObjectNode event = triggered();
      event.put("type", type);
      event.set("data", JSON.readTree("{\"unheardOf\":1}"));

      assertThat(Contracts.violations("event.json", event.toString())).as(type).isNotEmpty();
    }
  }

  @Test
  void an_unknown_type_may_carry_any_data() throws IOException {
    ObjectNode event = triggered();
    event.put("type", "com.example.deployed");
    event.set("data", JSON.readTree("{\"anything\":[1,2,{\"x\":null}]}"));

    assertThat(Contracts.violations("event.json", event.toString())).isEmpty();
  }

  private static Arguments wrong(String what, Consumer<ObjectNode> change) {
    return Arguments.of(what, change);
  }

  private static ObjectNode data(ObjectNode event) {
    return (ObjectNode) event.get("data");
  }

  private static ObjectNode triggered() throws IOException {
    return (ObjectNode) JSON.readTree("""
        {"specversion":"1.0","id":"0b5e2a51-8d4f-4f0e-9a6c-1d2e3f405162","source":"alertmanager/prod-eu",
         "type":"quorum.incident.triggered","subject":"6f1c0d7e-3b1a-4c55-9e0f-2a7d3c9b8e11",
         "time":"2026-06-15T02:14:07.123Z","datacontenttype":"application/json","actor":"user:alice",
         "data":{"title":"Disk full","service":"db","severity":"critical"}}""");
  }
}
