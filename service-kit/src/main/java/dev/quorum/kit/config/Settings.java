package dev.quorum.kit.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A service's configuration parsed once: every declared key's typed value, the pass-through
 * properties (e.g. {@code kafka.client.*}), and the effective configuration for the log with secrets
 * masked. Parsing reports every bad key at once, each with its name and value.
 */
public final class Settings {
  private final Map<String, Object> values;
  private final Map<String, String> raw;
  private final Map<String, String> effective;

  private Settings(Map<String, Object> values, Map<String, String> raw, Map<String, String> effective) {
    this.values = values;
    this.raw = raw;
    this.effective = effective;
  }

  /**
   * Parses flat key-value pairs (sources already merged) against the declared keys.
   *
   * @param ownPrefixes a key under one of these that is not declared is an error (a typo)
   * @param passThroughPrefixes keys under these are kept as they are (client properties)
   */
  public static Settings parse(Collection<ConfigKey<?>> keys, Collection<String> ownPrefixes,
      Collection<String> passThroughPrefixes, Map<String, String> raw) {
    Map<String, Object> values = new HashMap<>();
    Map<String, String> effective = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    for (ConfigKey<?> key : keys) {
      try {
        values.put(key.name(), value(key, raw, effective));
      } catch (ConfigException e) {
        errors.add(e.getMessage());
      }
    }
    for (String name : new TreeMap<>(raw).keySet()) {
      String passThrough = passThroughPrefixes.stream().filter(name::startsWith).findFirst().orElse(null);
      if (passThrough != null) {
        effective.put(name, isSecretProperty(name.substring(passThrough.length())) ? "****" : raw.get(name));
        continue;
      }
      boolean ours = ownPrefixes.stream().anyMatch(name::startsWith);
      boolean known = keys.stream().anyMatch(k -> k.name().equals(name));
      if (ours && !known) {
        errors.add("unknown configuration key " + name + " (known: "
            + keys.stream().map(ConfigKey::name).sorted().collect(Collectors.joining(", "))
            + (passThroughPrefixes.isEmpty() ? "" : ", " + String.join("*, ", passThroughPrefixes) + "*") + ")");
      }
    }
    if (!errors.isEmpty()) throw new ConfigException(errors);
    return new Settings(values, Map.copyOf(raw), effective);
  }

  /** Parses the process's own sources ({@link ConfigSources#standard}): what a main calls first. */
  public static Settings load(String[] args, Collection<ConfigKey<?>> keys, Collection<String> ownPrefixes,
      Collection<String> passThroughPrefixes) {
    return parse(keys, ownPrefixes, passThroughPrefixes,
        ConfigSources.standard(args, keys, ownPrefixes, passThroughPrefixes));
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    if (!values.containsKey(key.name())) throw new IllegalArgumentException("key not declared: " + key.name());
    return (T) values.get(key.name());
  }

  /** The pass-through properties under {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new TreeMap<>();
    raw.forEach((name, value) -> {
      if (name.startsWith(prefix)) result.put(name.substring(prefix.length()), value);
    });
    return result;
  }

  /** The effective configuration, one {@code key = value} per line, secrets masked. */
  public String describe() {
    return effective.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return "Settings{\n" + describe() + "\n}";
  }

  private static <T> T value(ConfigKey<T> key, Map<String, String> raw, Map<String, String> effective) {
    String text = raw.get(key.name());
    // a blank secret is a deliberate "none" unless the key is required
    if (text == null || (text.isBlank() && (!key.secret() || key.defaultValue() == null))) text = key.defaultValue();
    if (text == null) {
      throw new ConfigException(key.name() + " is required: " + key.description()
          + " (set it in the config file, as " + key.environmentVariable() + ", or as -D" + key.name() + ")");
    }
    T value;
    try {
      value = key.parser().apply(text.trim());
    } catch (RuntimeException e) {
      throw new ConfigException(key.name() + ": cannot read \"" + (key.secret() ? "****" : text) + "\": " + e.getMessage(), e);
    }
    if (!key.valid().test(value)) {
      throw new ConfigException(key.name() + " " + key.constraint() + ", was " + (key.secret() ? "****" : text));
    }
    effective.put(key.name(), key.secret() ? (text.isEmpty() ? "<none>" : "****") : text.trim());
    return value;
  }

  /**
   * The reference of the declared keys, one per line: name, environment variable, default (or
   * "required") and description; what a {@code --help} prints.
   */
  public static String reference(Collection<ConfigKey<?>> keys) {
    return keys.stream().sorted(Comparator.comparing(ConfigKey::name))
        .map(k -> k.name() + " (" + k.environmentVariable() + ", "
            + (k.defaultValue() == null ? "required" : k.secret() || k.defaultValue().isEmpty() ? "optional" : "default " + k.defaultValue())
            + (k.constraint() == null || k.constraint().isEmpty() ? "" : ", " + k.constraint()) + "): " + k.description())
        .collect(Collectors.joining("\n"));
  }

  /**
   * A pass-through property (its name without the prefix) is masked when Kafka declares it a
   * {@code PASSWORD} (for producers, consumers, admin clients and Streams, with Streams' client
   * prefixes) or, for properties Kafka does not know, when its name suggests a credential.
   */
  public static boolean isSecretProperty(String property) {
    return KafkaConfigTypes.isPassword(property) || looksSecret(property);
  }

  /** Whether a name suggests a credential: the fallback for properties whose type is not known. */
  public static boolean looksSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.contains("jaas") || lower.contains("token")
        || lower.contains("credential") || lower.contains("key.password");
  }
}
