package dev.quorum.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PgArray;

/**
 * One-dimensional PostgreSQL {@code text[]} values in the binary form the server receives ({@code array_recv}):
 * so that a column whose values were written out as UTF-8 earlier, off the database thread, goes as it is (the
 * driver's own arrays take {@code String}s and encode each again on the thread that holds the transaction).
 */
public final class BinaryArrays {
  /** {@code pg_type.oid} of {@code text}. */
  public static final int TEXT = 25;
  /** Dimensions, null flag, element type, length, lower bound. */
  private static final int HEADER = 5 * Integer.BYTES;
  /** The length of a UUID's canonical text, {@code 8-4-4-4-12} hex digits. */
  private static final int UUID_TEXT = 36;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private BinaryArrays() {}

  /** Binds a {@code text[]} made by this class as parameter {@code index} of {@code statement}. */
  public static void bindText(PreparedStatement statement, int index, byte[] array) throws SQLException {
    statement.setArray(index, new PgArray(statement.getConnection().unwrap(BaseConnection.class), Oid.TEXT_ARRAY, array));
  }

  /**
   * A {@code text[]} of the given UTF-8 values (null elements are SQL NULL), lower bound 1.
   *
   * @throws IllegalArgumentException when the array would not fit in one Java array
   */
  public static byte[] text(byte[][] values) {
    if (values.length == 0) return empty();
    long size = HEADER;
    boolean nulls = false;
    for (byte[] value : values) {
      size += Integer.BYTES + (value == null ? 0 : value.length);
      nulls |= value == null;
    }
    if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a text[] of " + size + " bytes is too large");
    byte[] out = new byte[(int) size];
    int at = header(out, values.length, nulls);
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

  /**
   * A {@code text[]} of UUIDs in their canonical lower-case form ({@link UUID#toString}), written straight from
   * their bits: no string per value, nothing to encode.
   */
  public static byte[] uuidText(UUID[] values) {
    if (values.length == 0) return empty();
    byte[] out = new byte[HEADER + values.length * (Integer.BYTES + UUID_TEXT)];
    int at = header(out, values.length, false);
    for (UUID value : values) {
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

  /** An empty array: no dimensions, no null, the element type. */
  private static byte[] empty() {
    byte[] out = new byte[3 * Integer.BYTES];
    putInt(out, 2 * Integer.BYTES, TEXT);
    return out;
  }

  /** Writes the header of a one-dimensional array of {@code length} elements; returns where the first goes. */
  private static int header(byte[] out, int length, boolean nulls) {
    int at = putInt(out, 0, 1);
    at = putInt(out, at, nulls ? 1 : 0);
    at = putInt(out, at, TEXT);
    at = putInt(out, at, length);
    return putInt(out, at, 1);
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
