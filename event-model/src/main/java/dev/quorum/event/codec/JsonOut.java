package dev.quorum.event.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON objects written straight into a byte array, in UTF-8: the codec's streaming encoder. It writes
 * exactly the bytes Jackson's UTF-8 generator writes with the codec's settings (the same escapes, a
 * character outside the Basic Multilingual Plane written as two backslash-u escapes of its surrogates),
 * so the stored and published forms do not depend on which of the two wrote them; without a generator,
 * its buffers and its checks per value, which made up most of the writer's encoding time.
 *
 * <p>Only what the encoder needs exists: objects of fields whose values are strings, numbers, objects
 * or JSON text written elsewhere.
 */
final class JsonOut {
  /** Per ASCII character: 0 copied as is, a letter for its short escape, -1 for a backslash-u escape. */
  private static final byte[] ESCAPES = new byte[128];
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  static {
    for (int c = 0; c < 0x20; c++) ESCAPES[c] = -1;
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  /** The buffer a thread writes into, and the largest it keeps between uses. */
  private static final int SCRATCH = 16 * 1024;
  private static final int KEEP = 256 * 1024;
  private static final ThreadLocal<JsonOut> SCRATCH_OUT = ThreadLocal.withInitial(() -> new JsonOut(SCRATCH));

  private byte[] buffer;
  private int size;
  /** Whether the next field follows another in the same object (so needs a comma). */
  private boolean afterValue;
  private boolean inUse;

  JsonOut(int capacity) {
    buffer = new byte[Math.max(capacity, 64)];
  }

  /**
   * What {@code body} writes, as a new array of its exact size. It writes into this thread's scratch buffer, reused
   * from one call to the next: no buffer to allocate, zero and grow per value, only the one copy of the result (a
   * call from inside {@code body} gets a buffer of its own).
   */
  static byte[] write(java.util.function.Consumer<JsonOut> body) {
    JsonOut out = SCRATCH_OUT.get();
    if (out.inUse) out = new JsonOut(SCRATCH);
    out.inUse = true;
    out.size = 0;
    out.afterValue = false;
    try {
      body.accept(out);
      return out.toByteArray();
    } finally {
      out.inUse = false;
      if (out.buffer.length > KEEP) out.buffer = new byte[SCRATCH];
    }
  }

  /** The bytes written so far. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  void startObject() {
    ensure(1);
    buffer[size++] = '{';
    afterValue = false;
  }

  void endObject() {
    ensure(1);
    buffer[size++] = '}';
    afterValue = true;
  }

  /** Starts a field: its name, escaped, and the colon; a value must follow. */
  void name(String name) {
    ensure(1);
    if (afterValue) buffer[size++] = ',';
    string(name);
    ensure(1);
    buffer[size++] = ':';
    afterValue = false;
  }

  /** A string value, quoted and escaped. */
  void string(String value) {
    int length = value.length();
    // Every character takes at most 6 bytes (a backslash-u escape); most take one.
    ensure(length + 2);
    byte[] out = buffer;
    int at = size;
    out[at++] = '"';
    int i = 0;
    // The common case first: ASCII that needs no escape, one byte per character.
    for (; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80 || ESCAPES[c] != 0) break;
      out[at++] = (byte) c;
    }
    if (i < length) {
      size = at;
      at = rest(value, i);
      out = buffer;
    }
    out[at++] = '"';
    size = at;
    afterValue = true;
  }

  /** The characters of {@code value} from {@code from} on, any of them; returns the new size. */
  private int rest(String value, int from) {
    int length = value.length();
    ensure((length - from) * 6 + 1);
    byte[] out = buffer;
    int at = size;
    for (int i = from; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        byte escape = ESCAPES[c];
        if (escape == 0) {
          out[at++] = (byte) c;
        } else if (escape > 0) {
          out[at++] = '\\';
          out[at++] = escape;
        } else {
          at = unicodeEscape(out, at, c);
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        at = unicodeEscape(out, at, c);
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return at;
  }

  private static int unicodeEscape(byte[] out, int at, char c) {
    out[at++] = '\\';
    out[at++] = 'u';
    out[at++] = HEX[(c >> 12) & 0xF];
    out[at++] = HEX[(c >> 8) & 0xF];
    out[at++] = HEX[(c >> 4) & 0xF];
    out[at++] = HEX[c & 0xF];
    return at;
  }

  /** A number value. */
  void number(long value) {
    raw(Long.toString(value));
  }

  /** A value that is ASCII JSON text already (a number, a timestamp in quotes is not: use {@link #string}). */
  private void raw(String ascii) {
    int length = ascii.length();
    ensure(length);
    for (int i = 0; i < length; i++) buffer[size + i] = (byte) ascii.charAt(i);
    size += length;
    afterValue = true;
  }

  /** A value given as JSON text in UTF-8, copied as is. */
  void raw(byte[] json) {
    ensure(json.length);
    System.arraycopy(json, 0, buffer, size, json.length);
    size += json.length;
    afterValue = true;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
  }
}
