package dev.quorum.event.codec;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * JSON text this codec wrote, in UTF-8, for a generator to copy as a raw value: a UTF-8 generator takes the
 * bytes as they are, where a raw value given as a {@code String} is encoded again. Only the unquoted forms
 * exist: the text is a JSON value, never the content of a string.
 */
final class RawUtf8 implements SerializableString {
  private final byte[] utf8;
  private String text;

  RawUtf8(byte[] utf8) {
    this.utf8 = utf8;
  }

  @Override
  public String getValue() {
    if (text == null) text = new String(utf8, StandardCharsets.UTF_8);
    return text;
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return utf8;
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    if (offset + utf8.length > buffer.length) return -1;
    System.arraycopy(utf8, 0, buffer, offset, utf8.length);
    return utf8.length;
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    String value = getValue();
    if (offset + value.length() > buffer.length) return -1;
    value.getChars(0, value.length(), buffer, offset);
    return value.length();
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(utf8);
    return utf8.length;
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (utf8.length > buffer.remaining()) return -1;
    buffer.put(utf8);
    return utf8.length;
  }

  @Override
  public char[] asQuotedChars() {
    throw notAString();
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw notAString();
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw notAString();
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    throw notAString();
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw notAString();
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw notAString();
  }

  private static UnsupportedOperationException notAString() {
    return new UnsupportedOperationException("raw JSON text is a value, not the content of a string");
  }

  @Override
  public String toString() {
    return getValue();
  }
}
