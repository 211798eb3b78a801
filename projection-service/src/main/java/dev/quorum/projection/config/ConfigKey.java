package dev.quorum.projection.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: a dotted lower-case name, a parser with validation, a default (null when the
 * key is required or optional without one) and a one-line description.
 */
public record ConfigKey<T>(
    String name, Function<String, T> parser, String defaultValue, boolean required, boolean secret, String description) {

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(description, "description");
  }

  /** The parsed value; {@link IllegalArgumentException} naming the key when it is missing or malformed. */
  public T read(Map<String, String> source) {
    String raw = source.get(name);
    if (raw == null || raw.isBlank()) raw = defaultValue;
    if (raw == null) {
      if (required) throw new IllegalArgumentException(name + " is required: " + description);
      return null;
    }
    try {
      return parser.apply(raw.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + " is invalid (" + (secret ? "value masked" : "\"" + raw + "\"") + "): " + e.getMessage(), e);
    }
  }
}
