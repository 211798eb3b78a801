package dev.quorum.event.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Strict, path-aware reads of one JSON object's fields. */
final class Fields {
  private final ObjectNode node;
  private final String path;
  /** Whether strings are checked for what the log cannot store (see {@link StorableText}). */
  private final boolean storable;

  private Fields(ObjectNode node, String path, boolean storable) {
    this.node = node;
    this.path = path;
    this.storable = storable;
  }

  static Fields of(JsonNode node, String path) {
    return of(node, path, true);
  }

  /**
   * @param checkStorable false only when no string of {@code node} can hold a NUL or a lone surrogate
   *     (parsed from well-formed UTF-8 without a backslash-u escape)
   */
  static Fields of(JsonNode node, String path, boolean checkStorable) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new DecodeException(path, "is required");
    }
    if (!node.isObject()) {
      throw new DecodeException(path, "must be a JSON object, was " + kind(node));
    }
    return new Fields((ObjectNode) node, path, checkStorable);
  }

  boolean checksStorable() {
    return storable;
  }

  String path(String field) {
    return path + "." + field;
  }

  JsonNode raw(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  boolean has(String field) {
    return raw(field) != null;
  }

  Fields object(String field) {
    return of(raw(field), path(field), storable);
  }

  String text(String field, int maxLength) {
    String value = optText(field, maxLength);
    if (value == null) {
      throw new DecodeException(path(field), "is required");
    }
    return value;
  }

  String optText(String field, int maxLength) {
    JsonNode value = raw(field);
    if (value == null) return null;
    if (!value.isTextual()) {
      throw new DecodeException(path(field), "must be a string, was " + kind(value));
    }
    String text = value.textValue();
    String unstorable = storable ? StorableText.problem(text) : null;
    if (unstorable != null) throw new DecodeException(path(field), unstorable);
    if (text.isBlank()) {
      throw new DecodeException(path(field), "must not be blank");
    }
    if (text.length() > maxLength) {
      throw new DecodeException(path(field), "is longer than " + maxLength + " characters (" + text.length() + ")");
    }
    return text;
  }

  String exact(String field, String expected) {
    String value = text(field, expected.length() + 64);
    if (!value.equals(expected)) {
      throw new DecodeException(path(field), "must be \"" + expected + "\", was \"" + value + "\"");
    }
    return value;
  }

  UUID uuid(String field) {
    UUID value = optUuid(field);
    if (value == null) throw new DecodeException(path(field), "is required");
    return value;
  }

  UUID optUuid(String field) {
    String text = optText(field, 64);
    if (text == null) return null;
    // UUID.fromString accepts short groups ("1-2-3-4-5"); insist on the canonical 8-4-4-4-12 form.
    if (!isCanonicalUuid(text)) {
      throw new DecodeException(path(field), "must be a UUID, was \"" + abbreviate(text) + "\"");
    }
    return UUID.fromString(text);
  }

  Instant instant(String field) {
    Instant value = optInstant(field);
    if (value == null) throw new DecodeException(path(field), "is required");
    return value;
  }

  Instant optInstant(String field) {
    String text = optText(field, 64);
    if (text == null) return null;
    Instant common = Rfc3339.parseUtc(text);
    if (common != null) return common.truncatedTo(ChronoUnit.MICROS);
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      throw new DecodeException(path(field), "must be an RFC 3339 timestamp with offset, was \"" + abbreviate(text) + "\"");
    }
  }

  int integer(String field, int min, int max) {
    JsonNode value = raw(field);
    if (value == null) throw new DecodeException(path(field), "is required");
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new DecodeException(path(field), "must be an integer, was " + kind(value));
    }
    int number = value.intValue();
    if (number < min || number > max) {
      throw new DecodeException(path(field), "must be between " + min + " and " + max + ", was " + number);
    }
    return number;
  }

  long longInteger(String field, long min) {
    JsonNode value = raw(field);
    if (value == null) throw new DecodeException(path(field), "is required");
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new DecodeException(path(field), "must be an integer, was " + kind(value));
    }
    long number = value.longValue();
    if (number < min) throw new DecodeException(path(field), "must be >= " + min + ", was " + number);
    return number;
  }

  <E extends Enum<E>> E enumValue(String field, Class<E> type) {
    E value = optEnum(field, type);
    if (value == null) throw new DecodeException(path(field), "is required");
    return value;
  }

  <E extends Enum<E>> E optEnum(String field, Class<E> type) {
    String text = optText(field, 64);
    if (text == null) return null;
    Object named = WIRE_NAMES.get(type).get(text);
    if (named != null) return type.cast(named);
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      if (!allowed.isEmpty()) allowed.append(", ");
      allowed.append(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new DecodeException(path(field), "must be one of " + allowed + ", was \"" + abbreviate(text) + "\"");
  }

  /** Each enum's constants by their wire names (lower case), worked out once per type. */
  private static final ClassValue<Map<String, Object>> WIRE_NAMES = new ClassValue<>() {
    @Override
    protected Map<String, Object> computeValue(Class<?> type) {
      Map<String, Object> names = new java.util.HashMap<>();
      for (Object constant : type.getEnumConstants()) {
        names.put(((Enum<?>) constant).name().toLowerCase(Locale.ROOT), constant);
      }
      return Map.copyOf(names);
    }
  };

  Map<String, String> stringMap(String field, int maxEntries, int maxKey, int maxValue) {
    JsonNode value = raw(field);
    Map<String, String> result = new LinkedHashMap<>();
    if (value == null) return result;
    if (!value.isObject()) throw new DecodeException(path(field), "must be a JSON object, was " + kind(value));
    if (value.size() > maxEntries) {
      throw new DecodeException(path(field), "has more than " + maxEntries + " entries (" + value.size() + ")");
    }
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      String key = entry.getKey();
      if (key.isEmpty() || key.length() > maxKey) {
        throw new DecodeException(entryPath(field, key), "keys must have 1 to " + maxKey + " characters");
      }
      String unstorableKey = storable ? StorableText.problem(key) : null;
      if (unstorableKey != null) throw new DecodeException(entryPath(field, key), "has a name that " + unstorableKey);
      if (!entry.getValue().isTextual()) {
        throw new DecodeException(entryPath(field, key), "must be a string, was " + kind(entry.getValue()));
      }
      String unstorable = storable ? StorableText.problem(entry.getValue().textValue()) : null;
      if (unstorable != null) throw new DecodeException(entryPath(field, key), unstorable);
      if (entry.getValue().textValue().length() > maxValue) {
        throw new DecodeException(entryPath(field, key), "is longer than " + maxValue + " characters");
      }
      result.put(entry.getKey(), entry.getValue().textValue());
    }
    return result;
  }

  /** The path of one entry of a map field, written only for an error. */
  private String entryPath(String field, String key) {
    return path(field) + "." + StorableText.visible(key);
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** The canonical 8-4-4-4-12 form of a UUID, hex digits in either case. */
  static boolean isCanonicalUuid(String text) {
    if (text.length() != 36) return false;
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
      if (hyphen ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') return false;
    }
    return true;
  }

  private static String abbreviate(String text) {
    if (text.length() <= 64) return text;
    int cut = Character.isHighSurrogate(text.charAt(60)) ? 60 : 61;
    return text.substring(0, cut) + "...";
  }
}
