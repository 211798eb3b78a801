package dev.quorum.kit.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where configuration comes from, each source overriding the one before: the keys' defaults (applied
 * by {@link Settings}), a properties file, the environment ({@code QUORUM_DB_URL} for {@code db.url}),
 * then system properties ({@code -Ddb.url=...}).
 */
public final class ConfigSources {
  /** The environment variable naming the configuration file when {@code --config} is not given. */
  public static final String CONFIG_FILE_VARIABLE = "QUORUM_CONFIG";

  private ConfigSources() {}

  /**
   * Merges the sources for the given keys; environment variables under a pass-through prefix
   * ({@code QUORUM_KAFKA_CLIENT_SECURITY_PROTOCOL} for {@code kafka.client.security.protocol}) and system
   * properties under an own or pass-through prefix are taken too.
   */
  public static Map<String, String> merge(Path file, Map<String, String> environment, Properties system,
      Collection<ConfigKey<?>> keys, Collection<String> ownPrefixes, Collection<String> passThroughPrefixes) {
    Map<String, String> merged = new HashMap<>();
    if (file != null) merged.putAll(file(file));
    for (ConfigKey<?> key : keys) {
      String value = environment.get(key.environmentVariable());
      if (value != null) merged.put(key.name(), value);
    }
    for (String prefix : passThroughPrefixes) {
      String variablePrefix = "QUORUM_" + prefix.toUpperCase(Locale.ROOT).replace('.', '_');
      environment.forEach((name, value) -> {
        if (name.startsWith(variablePrefix)) {
          merged.put(prefix + name.substring(variablePrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
        }
      });
    }
    for (String name : system.stringPropertyNames()) {
      boolean ours = keys.stream().anyMatch(k -> k.name().equals(name))
          || ownPrefixes.stream().anyMatch(name::startsWith) || passThroughPrefixes.stream().anyMatch(name::startsWith);
      if (ours) merged.put(name, system.getProperty(name));
    }
    return merged;
  }

  /**
   * The process's own sources: the file named by {@code --config} or {@code QUORUM_CONFIG} (if any), the
   * environment and the system properties, merged by {@link #merge}.
   */
  public static Map<String, String> standard(String[] args, Collection<ConfigKey<?>> keys,
      Collection<String> ownPrefixes, Collection<String> passThroughPrefixes) {
    Map<String, String> environment = System.getenv();
    return merge(configFile(args, environment), environment, System.getProperties(), keys, ownPrefixes,
        passThroughPrefixes);
  }

  /** The file named by {@code --config FILE} or {@code --config=FILE}, else by {@code QUORUM_CONFIG}, else none. */
  public static Path configFile(String[] args, Map<String, String> environment) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) return Path.of(args[i + 1]);
      if (args[i].startsWith("--config=")) return Path.of(args[i].substring("--config=".length()));
    }
    String named = environment.get(CONFIG_FILE_VARIABLE);
    return named == null || named.isBlank() ? null : Path.of(named);
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
