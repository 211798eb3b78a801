package dev.quorum.event.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a released schema with its next version as a schema registry would, and names every change
 * that would break a reader or writer of the records it describes.
 *
 * <ul>
 *   <li>{@link Mode#BACKWARD}: the new version reads every record written under the old one (the event log
 *       is kept forever and re-folded by new code): nothing the old version accepted may be refused.
 *   <li>{@link Mode#FORWARD}: a consumer built on the old version reads every record written under the new
 *       one: nothing it relied on may go, change type, become optional or take values it never saw.
 *   <li>{@link Mode#FULL}: both.
 * </ul>
 *
 * <p>Consumers are tolerant readers (they ignore properties they do not know, DESIGN §4), so adding an
 * optional property is compatible both ways even where the schema closes the object; a new conditional
 * ({@code allOf} entry with {@code if}) is a new event type, which old readers keep as an unknown type.
 * Keywords the checker does not compare must stay as they were.
 */
public final class Compatibility {
  /** Which readers a change must keep working. */
  public enum Mode {
    BACKWARD, FORWARD, FULL;

    boolean backward() {
      return this != FORWARD;
    }

    boolean forward() {
      return this != BACKWARD;
    }
  }

  private static final Set<String> ANNOTATIONS = Set.of(
      "$schema", "$comment", "$id", "title", "description", "examples", "example", "default", "deprecated", "readOnly",
      "writeOnly");
  private static final Set<String> COMPARED = Set.of(
      "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "propertyNames",
      "anyOf", "oneOf", "allOf", "$defs", "maxLength", "maximum", "maxItems", "maxProperties", "minLength", "minimum",
      "minItems", "minProperties", "pattern", "format", "dependentRequired", "uniqueItems");
  /** Upper bounds: a lower one refuses old records, a higher one surprises old consumers. */
  private static final List<String> MAXIMA = List.of("maxLength", "maximum", "maxItems", "maxProperties");
  private static final List<String> MINIMA = List.of("minLength", "minimum", "minItems", "minProperties");

  private final Mode mode;
  private final List<String> breaks = new ArrayList<>();

  private Compatibility(Mode mode) {
    this.mode = mode;
  }

  /** Every breaking change from {@code released} to {@code next}, each naming its JSON path; empty when compatible. */
  public static List<String> check(JsonNode released, JsonNode next, Mode mode) {
    Compatibility check = new Compatibility(Objects.requireNonNull(mode, "mode"));
    check.compare("$", released, next);
    return List.copyOf(check.breaks);
  }

  /**
   * Every breaking change from the released catalogue to the current one: a released schema that is gone,
   * or one that changed against its mode (the current catalogue's, else the released one's).
   *
   * @param released schemas by name, as released
   * @param current schemas by name, as they are now
   * @param modes each schema's mode by name
   */
  public static List<String> checkAll(Map<String, JsonNode> released, Map<String, JsonNode> current, Map<String, Mode> modes) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, JsonNode> schema : released.entrySet()) {
      String name = schema.getKey();
      JsonNode now = current.get(name);
      if (now == null) {
        found.add(name + ": removed from the catalogue");
        continue;
      }
      Mode mode = modes.getOrDefault(name, Mode.FULL);
      check(schema.getValue(), now, mode).forEach(b -> found.add(name + " (" + mode + ") " + b));
    }
    return found;
  }

  private void compare(String path, JsonNode old, JsonNode now) {
    if (old.isBoolean() || now.isBoolean()) {
      if (!old.equals(now)) {
        if (old.isBoolean() && old.asBoolean() && mode.backward()) breaks.add(path + ": was any value, is now restricted");
        else if (now.isBoolean() && now.asBoolean() && mode.forward()) breaks.add(path + ": was restricted, is now any value");
        else if (!old.isBoolean() || !now.isBoolean()) breaks.add(path + ": changed between a boolean schema and an object schema");
      }
      return;
    }
    if (old.has("anyOf") || now.has("anyOf") || old.has("oneOf") || now.has("oneOf")) {
      alternatives(path, old, now);
      return;
    }
    ref(path, old, now);
    types(path, old, now);
    values(path, old, now);
    properties(path, old, now);
    bounds(path, old, now);
    same(path, old, now, "pattern");
    same(path, old, now, "format");
    same(path, old, now, "dependentRequired");
    same(path, old, now, "uniqueItems");
    for (String nested : List.of("items", "propertyNames")) {
      if (old.has(nested) && now.has(nested)) compare(path + "." + nested, old.get(nested), now.get(nested));
      else if (old.has(nested) && mode.forward()) breaks.add(path + ": dropped its " + nested + " schema");
      else if (now.has(nested) && mode.backward()) breaks.add(path + ": added an " + nested + " schema");
    }
    conditionals(path, old, now);
    definitions(path, old, now);
    others(path, old, now);
  }

  private void ref(String path, JsonNode old, JsonNode now) {
    if (!Objects.equals(text(old, "$ref"), text(now, "$ref"))) {
      breaks.add(path + ": refers to " + text(now, "$ref") + " instead of " + text(old, "$ref"));
    }
  }

  private void types(String path, JsonNode old, JsonNode now) {
    Set<String> before = types(old);
    Set<String> after = types(now);
    if (mode.backward() && !covers(after, before)) breaks.add(path + ": retyped from " + before + " to " + after + " (old records refused)");
    if (mode.forward() && !covers(before, after)) breaks.add(path + ": retyped from " + before + " to " + after + " (old consumers surprised)");
  }

  /** The values an enum or const allows, or null for no such restriction. */
  private void values(String path, JsonNode old, JsonNode now) {
    Set<JsonNode> before = values(old);
    Set<JsonNode> after = values(now);
    if (mode.backward() && after != null && (before == null || !after.containsAll(before))) {
      breaks.add(path + ": enum values removed or restricted: " + minus(before, after));
    }
    if (mode.forward() && before != null && (after == null || !before.containsAll(after))) {
      breaks.add(path + ": enum values added: " + minus(after, before));
    }
  }

  private void properties(String path, JsonNode old, JsonNode now) {
    JsonNode before = old.path("properties");
    JsonNode after = now.path("properties");
    Set<String> requiredBefore = strings(old.path("required"));
    Set<String> requiredAfter = strings(now.path("required"));
    for (Iterator<Map.Entry<String, JsonNode>> it = before.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String name = property.getKey();
      if (!after.has(name)) {
        breaks.add(path + "." + name + ": removed");
        continue;
      }
      compare(path + "." + name, property.getValue(), after.get(name));
    }
    for (String name : requiredAfter) {
      if (mode.backward() && !requiredBefore.contains(name)) {
        breaks.add(path + "." + name + ": required now (records written before may lack it)");
      }
    }
    for (String name : requiredBefore) {
      if (mode.forward() && !requiredAfter.contains(name)) {
        breaks.add(path + "." + name + ": no longer required (consumers rely on it)");
      }
    }
    JsonNode openBefore = old.get("additionalProperties");
    JsonNode openAfter = now.get("additionalProperties");
    boolean closedBefore = openBefore != null && openBefore.isBoolean() && !openBefore.asBoolean();
    boolean closedAfter = openAfter != null && openAfter.isBoolean() && !openAfter.asBoolean();
    if (closedAfter && !closedBefore && mode.backward()) {
      breaks.add(path + ": closed to properties it allowed (records written before may hold them)");
    } else if (openBefore != null && openAfter != null && !closedBefore && !closedAfter) {
      compare(path + ".additionalProperties", openBefore, openAfter);
    }
  }

  private void bounds(String path, JsonNode old, JsonNode now) {
    for (String keyword : MAXIMA) bound(path, keyword, old.get(keyword), now.get(keyword), 1);
    for (String keyword : MINIMA) bound(path, keyword, old.get(keyword), now.get(keyword), -1);
  }

  /** @param sign 1 for an upper bound (lower is tighter), -1 for a lower bound */
  private void bound(String path, String keyword, JsonNode old, JsonNode now, int sign) {
    if (old == null && now == null) return;
    boolean tighter = old == null || (now != null && sign * now.decimalValue().compareTo(old.decimalValue()) < 0);
    boolean looser = now == null || (old != null && sign * now.decimalValue().compareTo(old.decimalValue()) > 0);
    if (tighter && now != null && mode.backward()) breaks.add(path + ": " + keyword + " tightened from " + old + " to " + now);
    if (looser && old != null && mode.forward()) breaks.add(path + ": " + keyword + " loosened from " + old + " to " + now);
  }

  /**
   * Nullable and union values: every old alternative must stay (backward), no new one may appear (forward);
   * an alternative that changed is compared with its counterpart of the same kind (same reference or types).
   */
  private void alternatives(String path, JsonNode old, JsonNode now) {
    List<JsonNode> before = alternatives(old);
    List<JsonNode> after = alternatives(now);
    for (JsonNode alternative : before) {
      if (find(after, alternative, true) != null) continue;
      JsonNode kin = find(after, alternative, false);
      if (kin != null) compare(path, alternative, kin);
      else if (mode.backward()) breaks.add(path + ": alternative no longer accepted: " + stripped(alternative));
    }
    for (JsonNode alternative : after) {
      if (find(before, alternative, true) == null && find(before, alternative, false) == null && mode.forward()) {
        breaks.add(path + ": alternative added: " + stripped(alternative));
      }
    }
  }

  /** The alternative equal to {@code one} (or, with {@code equal} false, of the same kind), or null. */
  private static JsonNode find(List<JsonNode> in, JsonNode one, boolean equal) {
    for (JsonNode candidate : in) {
      if (equal ? stripped(candidate).equals(stripped(one)) : kind(candidate).equals(kind(one))) return candidate;
    }
    return null;
  }

  /** {@code allOf} entries with {@code if} (one per event type) by their condition; others must stay as they were. */
  private void conditionals(String path, JsonNode old, JsonNode now) {
    Map<JsonNode, JsonNode> before = new LinkedHashMap<>();
    Map<JsonNode, JsonNode> after = new LinkedHashMap<>();
    Set<JsonNode> plainBefore = new HashSet<>();
    Set<JsonNode> plainAfter = new HashSet<>();
    split(old.path("allOf"), before, plainBefore);
    split(now.path("allOf"), after, plainAfter);
    for (Map.Entry<JsonNode, JsonNode> entry : before.entrySet()) {
      JsonNode matching = after.get(entry.getKey());
      String where = path + ".allOf[if " + entry.getKey() + "]";
      if (matching == null) breaks.add(where + ": removed");
      else {
        for (String branch : List.of("then", "else")) {
          JsonNode a = entry.getValue().get(branch);
          JsonNode b = matching.get(branch);
          if (a != null && b != null) compare(where + "." + branch, a, b);
          else if (a != null || b != null) breaks.add(where + ": " + branch + " added or removed");
        }
      }
    }
    if (!plainBefore.equals(plainAfter)) breaks.add(path + ".allOf: changed");
  }

  private void definitions(String path, JsonNode old, JsonNode now) {
    JsonNode after = now.path("$defs");
    old.path("$defs").properties().forEach(def -> {
      if (!after.has(def.getKey())) breaks.add(path + ".$defs." + def.getKey() + ": removed");
      else compare(path + ".$defs." + def.getKey(), def.getValue(), after.get(def.getKey()));
    });
  }

  /** A keyword this checker does not understand must not change: bump the baseline deliberately instead. */
  private void others(String path, JsonNode old, JsonNode now) {
    Set<String> keywords = new LinkedHashSet<>();
    old.fieldNames().forEachRemaining(keywords::add);
    now.fieldNames().forEachRemaining(keywords::add);
    for (String keyword : keywords) {
      if (ANNOTATIONS.contains(keyword) || COMPARED.contains(keyword)) continue;
      if (!Objects.equals(old.get(keyword), now.get(keyword))) breaks.add(path + ": " + keyword + " changed");
    }
  }

  private void same(String path, JsonNode old, JsonNode now, String keyword) {
    if (!Objects.equals(old.get(keyword), now.get(keyword))) {
      breaks.add(path + ": " + keyword + " changed from " + old.get(keyword) + " to " + now.get(keyword));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void split(JsonNode allOf, Map<JsonNode, JsonNode> conditionals, Set<JsonNode> plain) {
    allOf.forEach(entry -> {
      if (entry.has("if")) conditionals.put(stripped(entry.get("if")), entry);
      else plain.add(stripped(entry));
    });
  }

  private static List<JsonNode> alternatives(JsonNode node) {
    JsonNode list = node.has("anyOf") ? node.get("anyOf") : node.get("oneOf");
    List<JsonNode> result = new ArrayList<>();
    if (list == null) result.add(node);
    else list.forEach(result::add);
    return result;
  }

  /** What an alternative is: its reference, else its types. */
  private static String kind(JsonNode node) {
    if (node.has("$ref")) return "ref " + node.get("$ref").asText();
    return "types " + types(node);
  }

  /** The schema without annotations, for comparing alternatives and conditions. */
  private static JsonNode stripped(JsonNode node) {
    if (!node.isObject()) return node;
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    copy.remove(ANNOTATIONS);
    return copy;
  }

  private static Set<String> types(JsonNode node) {
    JsonNode type = node.get("type");
    Set<String> result = new HashSet<>();
    if (type == null) return result; // empty: any type
    if (type.isArray()) type.forEach(t -> result.add(t.asText()));
    else result.add(type.asText());
    return result;
  }

  /** Whether {@code wide} allows every type {@code narrow} allows (an empty set allows all; number covers integer). */
  private static boolean covers(Set<String> wide, Set<String> narrow) {
    if (wide.isEmpty()) return true;
    if (narrow.isEmpty()) return false;
    for (String type : narrow) {
      if (!wide.contains(type) && !(type.equals("integer") && wide.contains("number"))) return false;
    }
    return true;
  }

  private static Set<JsonNode> values(JsonNode node) {
    if (node.has("const")) return Set.of(node.get("const"));
    if (!node.has("enum")) return null;
    Set<JsonNode> values = new LinkedHashSet<>();
    node.get("enum").forEach(values::add);
    return values;
  }

  private static Set<JsonNode> minus(Set<JsonNode> a, Set<JsonNode> b) {
    if (a == null) return Set.of();
    Set<JsonNode> result = new LinkedHashSet<>(a);
    if (b != null) result.removeAll(b);
    return result;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> result = new LinkedHashSet<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null ? null : value.asText();
  }
}
