package dev.quorum.kit.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: a dotted lower-case name, a type, a default (null when required), a
 * validation and a one-line description; secrets are masked wherever the configuration is shown.
 */
public record ConfigKey<T>(
    String name, Function<String, T> parser, String defaultValue, Predicate<T> valid, String constraint,
    String description, boolean secret) {

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(valid, "valid");
    Objects.requireNonNull(description, "description");
    if (!name.matches("[a-z0-9]+([.-][a-z0-9]+)*")) throw new IllegalArgumentException("not a dotted lower-case key: " + name);
  }

  public static ConfigKey<String> text(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, s -> s, defaultValue, s -> !s.isBlank(), "must not be blank", description, false);
  }

  /** Text that may be left empty (an optional setting). */
  public static ConfigKey<String> optionalText(String name, String description) {
    return new ConfigKey<>(name, s -> s, "", s -> true, "", description, false);
  }

  public static ConfigKey<String> secret(String name, String description) {
    return new ConfigKey<>(name, s -> s, "", s -> true, "", description, true);
  }

  public static ConfigKey<List<String>> list(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, ConfigKey::parseList, defaultValue, v -> true, "", description, false);
  }

  public static ConfigKey<Integer> integer(String name, int defaultValue, int min, int max, String description) {
    return new ConfigKey<>(name, Integer::valueOf, Integer.toString(defaultValue), v -> v >= min && v <= max,
        "must be in [" + min + ", " + max + "]", description, false);
  }

  public static ConfigKey<Long> longInteger(String name, long defaultValue, long min, long max, String description) {
    return new ConfigKey<>(name, Long::valueOf, Long.toString(defaultValue), v -> v >= min && v <= max,
        "must be in [" + min + ", " + max + "]", description, false);
  }

  public static ConfigKey<Double> decimal(String name, double defaultValue, double min, double maxExclusive, String description) {
    return new ConfigKey<>(name, Double::valueOf, Double.toString(defaultValue), v -> v >= min && v < maxExclusive,
        "must be in [" + min + ", " + maxExclusive + ")", description, false);
  }

  public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
    return new ConfigKey<>(name, ConfigKey::parseBoolean, Boolean.toString(defaultValue), v -> true, "", description, false);
  }

  public static ConfigKey<Duration> duration(String name, String defaultValue, Duration min, Duration max, String description) {
    return new ConfigKey<>(name, ConfigKey::parseDuration, defaultValue, v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0,
        "must be in [" + min + ", " + max + "]", description, false);
  }

  public static <E extends Enum<E>> ConfigKey<E> enumeration(String name, Class<E> type, E defaultValue, String description) {
    return new ConfigKey<>(name, s -> parseEnum(type, s), defaultValue.name().toLowerCase(Locale.ROOT), v -> true,
        "", description, false);
  }

  /** An absolute URI ({@code http://host:port/path}, {@code jdbc:postgresql://...}). */
  public static ConfigKey<URI> uri(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, ConfigKey::parseUri, defaultValue, URI::isAbsolute, "must be an absolute URI", description,
        false);
  }

  /**
   * A comma-separated list of {@code host:port} ({@code [::1]:9092} for IPv6), e.g. Kafka's bootstrap
   * servers; it may be empty only when the default is empty.
   */
  public static ConfigKey<List<HostPort>> hostPorts(String name, String defaultValue, String description) {
    boolean emptyAllowed = defaultValue != null && defaultValue.isBlank();
    return new ConfigKey<>(name, text -> parseList(text).stream().map(HostPort::parse).toList(), defaultValue,
        v -> emptyAllowed || !v.isEmpty(), "must name at least one host:port", description, false);
  }

  /** This key with no default: a configuration without it does not start. */
  public ConfigKey<T> required() {
    return new ConfigKey<>(name, parser, null, valid, constraint, description, secret);
  }

  /** This key with a further condition on its value, e.g. {@code v -> v % 2 == 0, "must be even"}. */
  public ConfigKey<T> validated(Predicate<T> condition, String conditionText) {
    Objects.requireNonNull(condition, "condition");
    String combined = constraint == null || constraint.isEmpty() ? conditionText : constraint + " and " + conditionText;
    return new ConfigKey<>(name, parser, defaultValue, valid.and(condition), combined, description, secret);
  }

  /** This key, masked wherever the configuration is shown. */
  public ConfigKey<T> asSecret() {
    return new ConfigKey<>(name, parser, defaultValue, valid, constraint, description, true);
  }

  /**
   * The environment variable that sets this key: the name in upper snake case, prefixed with
   * {@code QUORUM_} unless it already starts with it ({@code quorum.writer.batch.max-rows} and
   * {@code writer.batch.max-rows} are both {@code QUORUM_WRITER_BATCH_MAX_ROWS}).
   */
  public String environmentVariable() {
    String upper = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    return upper.startsWith("QUORUM_") ? upper : "QUORUM_" + upper;
  }

  /** Accepts {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("pt") || s.startsWith("p")) return Duration.parse(s.toUpperCase(Locale.ROOT));
    if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    if (s.isEmpty()) throw new IllegalArgumentException("empty duration");
    long amount = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("not a duration: " + text + " (use 250ms, 30s, 5m, 1h or PT30S)");
    };
  }

  private static URI parseUri(String text) {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + e.getReason());
    }
  }

  private static Boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + text);
    };
  }

  private static List<String> parseList(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
    String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) return constant;
    }
    throw new IllegalArgumentException("must be one of "
        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
  }
}
