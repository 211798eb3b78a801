package dev.quorum.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schemas (2020-12) of every record Quorum writes, kept in this module's resources under
 * {@value #DIRECTORY} and listed in its {@code index.json}: the events and each type's data, the
 * incident view, the analytics rows and the dead-letter headers. Services serve them as they are.
 */
public final class Schemas {
  /** Where the schemas live on the classpath (and under {@code src/main/resources} in the repository). */
  public static final String DIRECTORY = "dev/quorum/event/schemas/";
  /** The catalogue: one entry per schema with its name, what it describes, where and its compatibility rule. */
  public static final String INDEX = "index.json";
  /** The media type of a schema. */
  public static final String MEDIA_TYPE = "application/schema+json";

  private static final Map<String, byte[]> ALL = load();

  private Schemas() {}

  /** The catalogue document ({@value #INDEX}). */
  public static byte[] index() {
    return ALL.get(INDEX).clone();
  }

  /** Every schema's name (file name, e.g. {@code event.json}), in the catalogue's order. */
  public static List<String> names() {
    return ALL.keySet().stream().filter(name -> !name.equals(INDEX)).toList();
  }

  /** One schema's bytes, or empty when the catalogue has no such name. */
  public static Optional<byte[]> find(String name) {
    byte[] schema = name.equals(INDEX) ? null : ALL.get(name);
    return Optional.ofNullable(schema).map(byte[]::clone);
  }

  private static Map<String, byte[]> load() {
    Map<String, byte[]> all = new LinkedHashMap<>();
    byte[] index = read(INDEX);
    all.put(INDEX, index);
    try {
      JsonNode entries = new ObjectMapper().readTree(index).path("schemas");
      List<String> names = new ArrayList<>();
      entries.forEach(entry -> names.add(entry.path("name").asText()));
      for (String name : names) all.put(name, read(name));
    } catch (IOException e) {
      throw new UncheckedIOException("the schema catalogue is unreadable", e);
    }
    return all;
  }

  private static byte[] read(String name) {
    try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(DIRECTORY + name)) {
      if (in == null) throw new IllegalStateException(DIRECTORY + name + " is missing from the classpath");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
