package dev.quorum.event.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The UTF-8 check's eight-bytes-at-a-time path gives what a byte-by-byte reading gives: the same
 * answer about backslash-u escapes, and the same error naming the same first offending byte.
 */
class Utf8PropertiesTest {

  @Provide
  Arbitrary<byte[]> jsonLikeBytes() {
    // Mostly ASCII, with what the check looks for mixed in: backslashes, u, NUL, and bytes of valid and
    // invalid multi-byte sequences, at every offset of a word.
    Arbitrary<Byte> one = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(40, Arbitraries.bytes().between((byte) 0x20, (byte) 0x7E)),
        net.jqwik.api.Tuple.of(6, Arbitraries.of((byte) '\\', (byte) 'u', (byte) '"')),
        net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) 0, (byte) 0x01, (byte) 0x7F)),
        net.jqwik.api.Tuple.of(4, Arbitraries.of((byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC,
            (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0xC0, (byte) 0xFF)));
    return one.array(byte[].class).ofMaxSize(80);
  }

  @Property(tries = 20_000)
  @Label("the word-at-a-time check agrees with a byte-by-byte reading")
  void agrees_with_byte_by_byte(@ForAll("jsonLikeBytes") byte[] bytes) {
    assertThat(outcome(bytes)).isEqualTo(byteByByte(bytes));
  }

  @Example
  @Label("a backslash ending one word and a u starting the next count as an escape")
  void escape_across_words() {
    byte[] bytes = "{\"a\":\"1\\u0041\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(bytes[7]).isEqualTo((byte) '\\');
    assertThat(Utf8.requireJsonText(bytes)).isTrue();
    assertThat(Utf8.requireJsonText("{\"a\":\"1\\n\\\\x\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isFalse();
  }

  @Example
  @Label("a NUL or a non-UTF-8 byte deep inside an ASCII run is found at its offset")
  void offending_byte_inside_a_run() {
    byte[] bytes = "abcdefghijklmnopqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    bytes[13] = 0;
    assertThat(outcome(bytes)).contains("offset 13");
    bytes[13] = (byte) 0xFF;
    assertThat(outcome(bytes)).contains("offset 13");
  }

  private static String outcome(byte[] bytes) {
    try {
      return "escapes=" + Utf8.requireJsonText(bytes);
    } catch (DecodeException e) {
      return e.getMessage();
    }
  }

  /** The reading the check stands for: one byte at a time. */
  private static String byteByByte(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      return outcome(bytes); // the byte order mark is checked before either reading
    }
    boolean escapes = false;
    for (int i = 0; i < bytes.length; ) {
      int b = bytes[i] & 0xFF;
      if (b >= 0x01 && b < 0x80) {
        if (b == '\\' && i + 1 < bytes.length && bytes[i + 1] == 'u') escapes = true;
        i++;
      } else if (b == 0) {
        return new DecodeException("$", "holds a NUL byte at offset " + i
            + ": JSON between systems is UTF-8 (RFC 8259 §8.1), not UTF-16 or UTF-32, and never holds a raw NUL").getMessage();
      } else {
        int length = sequenceLength(bytes, i);
        if (length == 0) {
          return new DecodeException("$", String.format(Locale.ROOT, "is not UTF-8: byte 0x%02x at offset %d does not start"
              + " a valid sequence (JSON between systems is UTF-8, RFC 8259 §8.1)", b, i)).getMessage();
        }
        i += length;
      }
    }
    return "escapes=" + escapes;
  }

  /** Well-formed sequence lengths as the JDK's strict decoder sees them (Unicode table 3-7). */
  private static int sequenceLength(byte[] bytes, int i) {
    int b = bytes[i] & 0xFF;
    int need;
    int low = 0x80;
    int high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) low = 0xA0;
      if (b == 0xED) high = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) low = 0x90;
      if (b == 0xF4) high = 0x8F;
    } else {
      return 0;
    }
    for (int k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return 0;
      int c = bytes[i + k] & 0xFF;
      if (k == 1 ? c < low || c > high : c < 0x80 || c > 0xBF) return 0;
    }
    return need + 1;
  }
}
