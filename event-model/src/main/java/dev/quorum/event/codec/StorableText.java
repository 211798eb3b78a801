package dev.quorum.event.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/**
 * Text the event log can hold: Unicode without NUL. JSON can escape both a NUL ({@code \u0000}) and
 * half of a surrogate pair ({@code \ud800}), but PostgreSQL refuses a NUL in text and in jsonb, and a
 * lone surrogate is not Unicode at all (it cannot be encoded as UTF-8 without loss). The codec refuses
 * such text at the edge, where the sender still gets an answer (DESIGN §9).
 */
public final class StorableText {
  private StorableText() {}

  /** Why {@code text} cannot be stored, or null when it can. */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return "holds a NUL character (U+0000) at index " + i + ", which the database cannot store";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "holds an unpaired UTF-16 surrogate (" + escape(c) + ") at index " + i
            + ", which is not Unicode text and the database cannot store";
      }
    }
    return null;
  }

  /**
   * Checks every string and every field name in a JSON tree.
   *
   * @throws DecodeException naming the path of the first value or name that cannot be stored
   */
  public static void require(JsonNode node, String path) {
    if (node == null) return;
    if (node.isTextual()) {
      String problem = problem(node.textValue());
      if (problem != null) throw new DecodeException(path, problem);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String fieldPath = path + "." + visible(field.getKey());
        String problem = problem(field.getKey());
        if (problem != null) throw new DecodeException(fieldPath, "has a name that " + problem);
        require(field.getValue(), fieldPath);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) require(node.get(i), path + "[" + i + "]");
    }
  }

  /** The text with what cannot be stored (or printed) written as {@code \\uXXXX}, for paths and messages. */
  public static String visible(String text) {
    if (problem(text) == null) return text;
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (c == '\u0000' || Character.isSurrogate(c)) {
        out.append(escape(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String escape(char c) {
    return String.format(Locale.ROOT, "\\u%04x", (int) c);
  }
}
