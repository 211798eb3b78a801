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

  private static int putInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
    return at + Integer.BYTES;
  }
}
