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
 * Collects configuration properties, each source overriding the one before: a properties file, the
 * environment ({@code QUORUM_PROJECTION_HTTP_PORT} for {@code projection.http.port}, {@code QUORUM_DB_URL}
 * for {@code db.url}), system properties, then definitions given on the command line.
 */
public final class ConfigSources {
  private static final String ENV_PREFIX = "QUORUM_";

  private ConfigSources() {}

  public static Map<String, String> collect(
      Path file, Map<String, String> environment, Properties system, Map<String, String> definitions) {
    Map<String, String> merged = new TreeMap<>();
    if (file != null) merged.putAll(file(file));
    environment.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX)) return;
      String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      if (ours(key)) merged.put(key, value);
    });
    for (String name : system.stringPropertyNames()) {
      if (ours(name)) merged.put(name, system.getProperty(name));
    }
    merged.putAll(definitions);
    return merged;
  }

  /** The file named by {@code --config}, else by {@code QUORUM_CONFIG}, else none. */
  public static Path file(Path option, Map<String, String> environment) {
    if (option != null) return option;
    String named = environment.get(ENV_PREFIX + "CONFIG");
    return named == null || named.isBlank() ? null : Path.of(named);
  }

  private static boolean ours(String key) {
    return key.startsWith("projection.") || key.startsWith("db.") || key.startsWith("kafka.");
  }

  private static Map<String, String> file(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      props.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the configuration file " + path + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new TreeMap<>();
    props.stringPropertyNames().forEach(name -> values.put(name, props.getProperty(name)));
    return values;
  }
}
