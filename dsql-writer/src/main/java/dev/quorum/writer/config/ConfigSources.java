package dev.quorum.writer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where configuration comes from, each overriding the one before: a properties file, the environment
 * ({@code QUORUM_DB_URL} for {@code db.url}), and system properties ({@code -Ddb.url=...}).
 */
public final class ConfigSources {
  private ConfigSources() {}

  public static Map<String, String> merge(Path file, Map<String, String> environment, Properties system) {
    Map<String, String> merged = new HashMap<>();
    if (file != null) merged.putAll(file(file));
    for (Key<?> key : WriterConfig.KEYS) {
      String value = environment.get(key.environmentVariable());
      if (value != null) merged.put(key.name(), value);
    }
    environment.forEach((name, value) -> {
      // QUORUM_KAFKA_CLIENT_SECURITY_PROTOCOL -> kafka.client.security.protocol
      if (name.startsWith("QUORUM_KAFKA_CLIENT_")) {
        merged.put(name.substring("QUORUM_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    for (String name : system.stringPropertyNames()) {
      if (name.startsWith("writer.") || name.startsWith("db.") || name.startsWith("kafka.")) {
        merged.put(name, system.getProperty(name));
      }
    }
    return merged;
  }

  private static Map<String, String> file(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read the configuration file " + path + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new HashMap<>();
    for (String name : properties.stringPropertyNames()) values.put(name, properties.getProperty(name));
    return values;
  }
}
