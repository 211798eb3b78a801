package dev.quorum.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.codec.StorableText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Strict, path-aware reads of one JSON object of an integration's payload; failures are {@link InvalidInput}. */
public final class JsonFields {
  /** RFC 3339, and ISO 8601 offsets without a colon ({@code +0000}), as PagerDuty's examples use. */
  private static final DateTimeFormatter LENIENT_OFFSET =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
          .toFormatter(Locale.ROOT);

  private final ObjectNode node;
  private final String path;

  private JsonFields(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Parses a body with the event codec's strict settings (no duplicate keys, no trailing tokens). */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) throw new InvalidInput("$", "the body is empty");
    try {
      return EventCodec.parse(body);
    } catch (DecodeException e) {
      throw InvalidInput.from(e);
    }
  }

  /** The object at {@code path}; an {@link InvalidInput} if it is absent or not an object. */
  public static JsonFields of(JsonNode node, String path) {
    if (node == null || node.isMissingNode() || node.isNull()) throw new InvalidInput(path, "is required");
    if (!node.isObject()) throw new InvalidInput(path, "must be a JSON object, was " + kind(node));
    return new JsonFields((ObjectNode) node, path);
  }

  public String path() {
    return path;
  }

  public String path(String field) {
    return path + "." + field;
  }

  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** A required, non-blank string of at most {@code maxLength} characters. */
  public String text(String field, int maxLength) {
    String value = optText(field, maxLength);
    if (value == null || value.isBlank()) {
      throw new InvalidInput(path(field), value == null ? "is required" : "must not be blank");
    }
    return value;
  }

  /** A string of at most {@code maxLength} characters, or null when absent; may be blank. */
  public String optText(String field, int maxLength) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw new InvalidInput(path(field), "must be a string, was " + kind(value));
    String text = value.textValue();
    storable(path(field), text);
    if (text.length() > maxLength) {
      throw new InvalidInput(path(field), "is longer than " + maxLength + " characters (" + text.length() + ")");
    }
    return text;
  }

  /** A required timestamp with an offset (RFC 3339, or ISO 8601 with a {@code +HHMM} offset). */
  public Instant instant(String field) {
    return parseInstant(path(field), text(field, 64));
  }

  /** Like {@link #instant}, or null when absent. */
  public Instant optInstant(String field) {
    String text = optText(field, 64);
    return text == null ? null : parseInstant(path(field), text);
  }

  public JsonFields object(String field) {
    return of(node.get(field), path(field));
  }

  /** The object at {@code field}, or null when absent. */
  public JsonFields optObject(String field) {
    return has(field) ? object(field) : null;
  }

  /** The elements of a required array, each with its path. */
  public List<JsonNode> array(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) throw new InvalidInput(path(field), "is required");
    if (!value.isArray()) throw new InvalidInput(path(field), "must be an array, was " + kind(value));
    List<JsonNode> elements = new ArrayList<>(value.size());
    value.forEach(elements::add);
    return elements;
  }

  /** A non-negative integer, or {@code fallback} when absent. */
  public long optCount(String field, long fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw new InvalidInput(path(field), "must be a non-negative integer, was " + kind(value));
    }
    return value.longValue();
  }

  /** An object of string values (labels, annotations), in document order; empty when absent. */
  public Map<String, String> stringMap(String field) {
    Map<String, String> result = new LinkedHashMap<>();
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return result;
    if (!value.isObject()) throw new InvalidInput(path(field), "must be a JSON object, was " + kind(value));
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      String entryPath = path(field) + "." + StorableText.visible(entry.getKey());
      String unstorableKey = StorableText.problem(entry.getKey());
      if (unstorableKey != null) throw new InvalidInput(entryPath, "has a name that " + unstorableKey);
      if (!entry.getValue().isTextual()) {
        throw new InvalidInput(entryPath, "must be a string, was " + kind(entry.getValue()));
      }
      storable(entryPath, entry.getValue().textValue());
      result.put(entry.getKey(), entry.getValue().textValue());
    }
    return result;
  }

  /** Text that may end up in the event log must be storable there (DESIGN §9): no NUL, no half surrogate pair. */
  private static void storable(String path, String text) {
    String problem = StorableText.problem(text);
    if (problem != null) throw new InvalidInput(path, problem);
  }

  static Instant parseInstant(String path, String text) {
    try {
      return OffsetDateTime.parse(text, LENIENT_OFFSET).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInput(path, "must be a timestamp with an offset (RFC 3339), was \"" + abbreviate(text) + "\"");
    }
  }

  public static String kind(JsonNode node) {
    return EventCodec.kind(node);
  }

  public static String abbreviate(String text) {
    return Texts.clip(text, 64);
  }
}
