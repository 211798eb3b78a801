package dev.quorum.projection.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Collects configuration properties, later sources winning: a properties file, then environment
 * variables ({@code PROJECTION_HTTP_PORT} for {@code projection.http.port}), then explicit definitions.
 */
public final class ConfigSources {
  private ConfigSources() {}

  public static Map<String, String> collect(Path file, Map<String, String> environment, Map<String, String> definitions) {
    Map<String, String> merged = new TreeMap<>();
    if (file != null) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        props.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
      }
      props.stringPropertyNames().forEach(name -> merged.put(name, props.getProperty(name)));
    }
    environment.forEach((name, value) -> {
      if (name.startsWith("PROJECTION_")) merged.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
    });
    merged.putAll(definitions);
    return merged;
  }
}
