package dev.quorum.event.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The check that bytes are JSON text as systems exchange it: UTF-8 (RFC 8259 §8.1), strictly (no
 * overlong forms, no encoded surrogates, nothing above U+10FFFF), without a byte order mark and without
 * a NUL byte (JSON escapes control characters, so a raw NUL is never part of a JSON text).
 *
 * <p>Checking before parsing also keeps the parser from guessing: Jackson reads a byte body whose
 * first bytes hold zeros or a byte order mark as UTF-16 or UTF-32, and fails on those with I/O errors
 * instead of parse errors.
 */
final class Utf8 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

  private Utf8() {}

  /**
   * Whether each byte of the word is ASCII other than NUL and backslash. With no high bit set, a byte minus
   * one sets its high bit (or borrows from the next byte, which then sets it) exactly when the byte is zero:
   * so the test is exact, in one branch.
   */
  private static boolean plainAscii(long word) {
    return ((word | (word - ONES) | ((word ^ BACKSLASHES) - ONES)) & HIGH_BITS) == 0;
  }

  /**
   * @return whether the text holds a backslash followed by {@code u}: only such an escape can give a
   *     decoded string a NUL or a lone surrogate, since well-formed UTF-8 without a NUL byte encodes
   *     neither (an escaped backslash before a u is counted too: the answer may say yes wrongly, never no wrongly)
   * @throws DecodeException at {@code $} naming the first offending byte and its offset
   */
  static boolean requireJsonText(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      throw new DecodeException("$", "starts with a byte order mark: JSON between systems is UTF-8 without one (RFC 8259 §8.1)");
    }
    boolean escapes = false;
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      // Eight bytes at a time while they are ASCII without a NUL and without a backslash (most of any event).
      while (i + Long.BYTES <= n && plainAscii((long) LONGS.get(bytes, i))) i += Long.BYTES;
      if (i >= n) break;
      int b = bytes[i] & 0xFF;
      if (b >= 0x01 && b < 0x80) {
        if (b == '\\' && i + 1 < n && bytes[i + 1] == 'u') escapes = true;
        i++;
        continue;
      }
      if (b == 0) {
        throw new DecodeException("$", "holds a NUL byte at offset " + i
            + ": JSON between systems is UTF-8 (RFC 8259 §8.1), not UTF-16 or UTF-32, and never holds a raw NUL");
      }
      int length = sequenceLength(bytes, i);
      if (length == 0) throw notUtf8(bytes, i);
      i += length;
    }
    return escapes;
  }

  /** The length of the well-formed UTF-8 sequence starting with a non-ASCII byte at {@code i}, or 0. */
  private static int sequenceLength(byte[] bytes, int i) {
    int b = bytes[i] & 0xFF;
    if (b >= 0xC2 && b <= 0xDF) {
      return continuation(bytes, i + 1, 0x80, 0xBF) ? 2 : 0;
    }
    if (b >= 0xE0 && b <= 0xEF) {
      // E0 needs A0.. (else overlong); ED needs ..9F (else a UTF-16 surrogate)
      int low = b == 0xE0 ? 0xA0 : 0x80;
      int high = b == 0xED ? 0x9F : 0xBF;
      return continuation(bytes, i + 1, low, high) && continuation(bytes, i + 2, 0x80, 0xBF) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4) {
      // F0 needs 90.. (else overlong); F4 needs ..8F (else above U+10FFFF)
      int low = b == 0xF0 ? 0x90 : 0x80;
      int high = b == 0xF4 ? 0x8F : 0xBF;
      return continuation(bytes, i + 1, low, high) && continuation(bytes, i + 2, 0x80, 0xBF)
          && continuation(bytes, i + 3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
  }

  private static boolean continuation(byte[] bytes, int i, int low, int high) {
    if (i >= bytes.length) return false;
    int b = bytes[i] & 0xFF;
    return b >= low && b <= high;
  }

  private static DecodeException notUtf8(byte[] bytes, int i) {
    return new DecodeException("$", String.format(Locale.ROOT,
        "is not UTF-8: byte 0x%02x at offset %d does not start a valid sequence (JSON between systems is UTF-8, RFC 8259 §8.1)",
        bytes[i] & 0xFF, i));
  }
}
