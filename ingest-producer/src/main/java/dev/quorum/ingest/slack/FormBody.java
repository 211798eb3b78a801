package dev.quorum.ingest.slack;

import dev.quorum.ingest.InvalidInput;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body with the JDK's {@link URLDecoder}; it works on
 * the raw bytes that the signature covers, so the fields read are exactly the ones that were signed.
 */
public final class FormBody {
  /** Slack sends about a dozen fields; a body with many more is not a slash command. */
  private static final int MAX_FIELDS = 64;

  private FormBody() {}

  /**
   * The fields of a form body, each with its values in order.
   *
   * @throws InvalidInput if the body is not form-encoded
   */
  public static Map<String, List<String>> decode(byte[] body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isEmpty()) return fields;
    int count = 0;
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) continue;
      if (++count > MAX_FIELDS) throw new InvalidInput("$", "the form has more than " + MAX_FIELDS + " fields");
      int eq = pair.indexOf('=');
      String name = decodePart(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodePart(pair.substring(eq + 1));
      fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return fields;
  }

  private static String decodePart(String part) {
    try {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidInput("$", "is not form-encoded: " + e.getMessage());
    }
  }
}
