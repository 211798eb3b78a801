package dev.quorum.event.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.event.Schemas;
import dev.quorum.event.contracts.Compatibility.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The build's compatibility gate: the current schemas against the released ones kept in
 * {@code contracts/baseline/}, by each schema's rule in the catalogue (README, "Contracts").
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReleasedContractsTest {
  /** The released catalogue, at the repository's root (tests run in the module's directory). */
  static final Path BASELINE = Path.of("..", "contracts", "baseline");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void no_change_since_the_release_breaks_a_consumer_or_a_reader_of_stored_records() throws IOException {
    // Given the released catalogue and the current one
    Map<String, JsonNode> released = catalogue(JSON.readTree(BASELINE.resolve(Schemas.INDEX).toFile()), BASELINE);
    Map<String, JsonNode> current = new LinkedHashMap<>();
    for (String name : Schemas.names()) current.put(name, JSON.readTree(Schemas.find(name).orElseThrow()));
    Map<String, Mode> modes = modes(JSON.readTree(BASELINE.resolve(Schemas.INDEX).toFile()));
    modes.putAll(modes(JSON.readTree(Schemas.index())));

    // When
    List<String> breaks = Compatibility.checkAll(released, current, modes);

    // Then
    assertThat(released).as("the baseline holds the released schemas").isNotEmpty();
    assertThat(breaks)
        .as("breaking changes; if one is deliberate, release a new version (README, Contracts: bumping the baseline)")
        .isEmpty();
  }

  @Test
  void no_schema_weakens_its_compatibility_rule_since_the_release() throws IOException {
    Map<String, Mode> released = modes(JSON.readTree(BASELINE.resolve(Schemas.INDEX).toFile()));
    Map<String, Mode> current = modes(JSON.readTree(Schemas.index()));

    released.forEach((name, mode) -> {
      Mode now = current.get(name);
      if (now == null) return; // a removed schema is the other test's finding
      assertThat(now == Mode.FULL || now == mode).as(name + " was " + mode + ", is " + now).isTrue();
    });
  }

  private static Map<String, JsonNode> catalogue(JsonNode index, Path directory) throws IOException {
    Map<String, JsonNode> schemas = new LinkedHashMap<>();
    for (JsonNode entry : index.path("schemas")) {
      String name = entry.path("name").asText();
      schemas.put(name, JSON.readTree(Files.readAllBytes(directory.resolve(name))));
    }
    return schemas;
  }

  private static Map<String, Mode> modes(JsonNode index) {
    Map<String, Mode> modes = new LinkedHashMap<>();
    index.path("schemas").forEach(entry -> modes.put(entry.path("name").asText(), Mode.valueOf(entry.path("compatibility").asText())));
    return modes;
  }
}
