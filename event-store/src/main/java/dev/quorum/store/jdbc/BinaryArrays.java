package dev.quorum.store.jdbc;

/**
 * One-dimensional PostgreSQL arrays in the binary form the server receives ({@code array_recv}): so that
 * a column whose values were written out as UTF-8 earlier, off the database thread, goes as it is (the
 * driver's own arrays take {@code String}s and encode each again on the thread that holds the transaction).
 */
public final class BinaryArrays {
  /** {@code pg_type.oid} of {@code text}. */
  public static final int TEXT = 25;

  private BinaryArrays() {}

  /**
   * A {@code text[]} of the given UTF-8 values (null elements are SQL NULL), lower bound 1.
   *
   * @throws IllegalArgumentException when the array would not fit in one Java array
   */
  public static byte[] text(byte[][] values) {
    long size = 5L * Integer.BYTES;
    boolean nulls = false;
    for (byte[] value : values) {
      size += Integer.BYTES + (value == null ? 0 : value.length);
      nulls |= value == null;
    }
    if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a text[] of " + size + " bytes is too large");
    byte[] out = new byte[(int) size];
    int at = 0;
    if (values.length == 0) {
      // an empty array has no dimensions
      at = putInt(out, at, 0);
      at = putInt(out, at, 0);
      putInt(out, at, TEXT);
      return java.util.Arrays.copyOf(out, 3 * Integer.BYTES);
    }
    at = putInt(out, at, 1); // dimensions
    at = putInt(out, at, nulls ? 1 : 0);
    at = putInt(out, at, TEXT);
    at = putInt(out, at, values.length);
    at = putInt(out, at, 1); // lower bound
    for (byte[] value : values) {
      if (value == null) {
        at = putInt(out, at, -1);
      } else {
        at = putInt(out, at, value.length);
        System.arraycopy(value, 0, out, at, value.length);
        at += value.length;
      }
    }
    return out;
  }

  /** The length of a UUID's canonical text, {@code 8-4-4-4-12} hex digits. */
  private static final int UUID_TEXT = 36;
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * A {@code text[]} of UUIDs in their canonical lower-case form ({@link java.util.UUID#toString}), written
   * straight from their bits: no string per value, nothing to encode.
   */
  public static byte[] uuidText(java.util.UUID[] values) {
    if (values.length == 0) return text(new byte[0][]);
    byte[] out = new byte[5 * Integer.BYTES + values.length * (Integer.BYTES + UUID_TEXT)];
    int at = putInt(out, 0, 1);
    at = putInt(out, at, 0);
    at = putInt(out, at, TEXT);
    at = putInt(out, at, values.length);
    at = putInt(out, at, 1);
    for (java.util.UUID value : values) {
      at = putInt(out, at, UUID_TEXT);
      long high = value.getMostSignificantBits();
      long low = value.getLeastSignificantBits();
      at = hex(out, at, high >>> 32, 8);
      out[at++] = '-';
      at = hex(out, at, high >>> 16, 4);
      out[at++] = '-';
      at = hex(out, at, high, 4);
      out[at++] = '-';
      at = hex(out, at, low >>> 48, 4);
      out[at++] = '-';
      at = hex(out, at, low, 12);
    }
    return out;
  }

  /** Writes the low {@code digits} hex digits of {@code value}, most significant first. */
  private static int hex(byte[] out, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
    return at + digits;
  }

  private static int putInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
    return at + Integer.BYTES;
  }
}
