package dev.quorum.writer.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: a dotted lower-case name, a type, a default (null when required), a
 * validation and a one-line description.
 */
public record Key<T>(
    String name, Function<String, T> parser, String defaultValue, Predicate<T> valid, String constraint,
    String description, boolean secret) {

  public Key {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(valid, "valid");
    Objects.requireNonNull(description, "description");
    if (!name.matches("[a-z0-9]+(\\.[a-z0-9]+)*")) throw new IllegalArgumentException("not a dotted lower-case key: " + name);
  }

  static Key<String> text(String name, String defaultValue, String description) {
    return new Key<>(name, s -> s, defaultValue, s -> !s.isBlank(), "must not be blank", description, false);
  }

  static Key<String> secret(String name, String description) {
    return new Key<>(name, s -> s, "", s -> true, "", description, true);
  }

  static Key<Integer> integer(String name, int defaultValue, int min, int max, String description) {
    return new Key<>(name, Integer::valueOf, Integer.toString(defaultValue), v -> v >= min && v <= max,
        "must be in [" + min + ", " + max + "]", description, false);
  }

  static Key<Long> longInteger(String name, long defaultValue, long min, long max, String description) {
    return new Key<>(name, Long::valueOf, Long.toString(defaultValue), v -> v >= min && v <= max,
        "must be in [" + min + ", " + max + "]", description, false);
  }

  static Key<Double> decimal(String name, double defaultValue, double min, double maxExclusive, String description) {
    return new Key<>(name, Double::valueOf, Double.toString(defaultValue), v -> v >= min && v < maxExclusive,
        "must be in [" + min + ", " + maxExclusive + ")", description, false);
  }

  static Key<Boolean> bool(String name, boolean defaultValue, String description) {
    return new Key<>(name, Key::parseBoolean, Boolean.toString(defaultValue), v -> true, "", description, false);
  }

  static Key<Duration> duration(String name, String defaultValue, Duration min, Duration max, String description) {
    return new Key<>(name, Key::parseDuration, defaultValue, v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0,
        "must be in [" + min + ", " + max + "]", description, false);
  }

  static <E extends Enum<E>> Key<E> enumeration(String name, Class<E> type, E defaultValue, String description) {
    return new Key<>(name, s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT)),
        defaultValue.name().toLowerCase(Locale.ROOT), v -> true, "", description, false);
  }

  /** Accepts {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
  static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("pt")) return Duration.parse(s.toUpperCase(Locale.ROOT));
    if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    long amount = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("not a duration: " + text + " (use 250ms, 30s, 5m, 1h or PT30S)");
    };
  }

  private static Boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + text);
    };
  }

  /** The environment variable that sets this key: {@code QUORUM_} and the name in upper snake case. */
  public String environmentVariable() {
    return "QUORUM_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
