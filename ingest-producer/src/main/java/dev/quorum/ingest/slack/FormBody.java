package dev.quorum.ingest.slack;

import dev.quorum.event.codec.StorableText;
import dev.quorum.ingest.InvalidInput;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body from the raw bytes that the signature
 * covers, so the fields read are exactly the ones that were signed. Names and values are UTF-8 once
 * percent-decoded, strictly: bytes that are not UTF-8 are refused rather than replaced, and so is text
 * the event log cannot store (a NUL, {@code %00}).
 */
public final class FormBody {
  /** Slack sends about a dozen fields; a body with many more is not a slash command. */
  private static final int MAX_FIELDS = 64;

  private FormBody() {}

  /**
   * The fields of a form body, each with its values in order.
   *
   * @throws InvalidInput if the body is not form-encoded UTF-8 text, naming the field when it has one
   */
  public static Map<String, List<String>> decode(byte[] body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    int count = 0;
    int start = 0;
    for (int end = 0; end <= body.length; end++) {
      if (end < body.length && body[end] != '&') continue;
      if (end > start) {
        if (++count > MAX_FIELDS) throw new InvalidInput("$", "the form has more than " + MAX_FIELDS + " fields");
        int eq = indexOf(body, (byte) '=', start, end);
        String name = decodePart(body, start, eq < 0 ? end : eq, "$");
        String value = eq < 0 ? "" : decodePart(body, eq + 1, end, name);
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
      start = end + 1;
    }
    return fields;
  }

  private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) return i;
    }
    return -1;
  }

  /** One name or value: {@code +} is a space, {@code %XX} a byte; the bytes must be UTF-8 text. */
  private static String decodePart(byte[] body, int from, int to, String field) {
    byte[] bytes = new byte[to - from];
    int length = 0;
    for (int i = from; i < to; i++) {
      byte b = body[i];
      if (b == '+') {
        bytes[length++] = ' ';
      } else if (b == '%') {
        int high = i + 1 < to ? hexDigit(body[i + 1]) : -1;
        int low = i + 2 < to ? hexDigit(body[i + 2]) : -1;
        if (high < 0 || low < 0) throw new InvalidInput(field, "is not form-encoded: % must be followed by two hex digits");
        bytes[length++] = (byte) (high << 4 | low);
        i += 2;
      } else {
        bytes[length++] = b;
      }
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInput(field, "is not UTF-8 text once percent-decoded");
    }
    String problem = StorableText.problem(text);
    if (problem != null) throw new InvalidInput(field, problem);
    return text;
  }

  private static int hexDigit(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
  }
}
