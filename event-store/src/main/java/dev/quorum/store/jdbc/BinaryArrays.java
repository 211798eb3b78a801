package dev.quorum.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PgArray;

/**
 * One-dimensional PostgreSQL arrays ({@code text[]}, {@code int8[]}, {@code int4[]}) in the binary form the server
 * receives ({@code array_recv}), made without a connection: so that a batch's columns are laid out before its
 * transaction, off the database thread, and go as they are (the driver's own arrays need the connection, and take
 * {@code String}s that they encode again on the thread that holds the transaction).
 */
public final class BinaryArrays {
  /** {@code pg_type.oid} of {@code text}. */
  public static final int TEXT = 25;
  /** {@code pg_type.oid} of {@code int8}. */
  public static final int INT8 = 20;
  /** {@code pg_type.oid} of {@code int4}. */
  public static final int INT4 = 23;
  /** Where the header holds the element type: after the dimensions and the null flag. */
  private static final int ELEMENT_TYPE = 2 * Integer.BYTES;
  /** Dimensions, null flag, element type, length, lower bound. */
  private static final int HEADER = 5 * Integer.BYTES;
  /** The length of a UUID's canonical text, {@code 8-4-4-4-12} hex digits. */
  private static final int UUID_TEXT = 36;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private BinaryArrays() {}

  /**
   * Binds an array made by this class as parameter {@code index} of {@code statement}, as the array type of the
   * element type its header names.
   */
  public static void bind(PreparedStatement statement, int index, byte[] array) throws SQLException {
    int elementType = getInt(array, ELEMENT_TYPE);
    int arrayType = switch (elementType) {
      case TEXT -> Oid.TEXT_ARRAY;
      case INT8 -> Oid.INT8_ARRAY;
      case INT4 -> Oid.INT4_ARRAY;
      default -> throw new IllegalArgumentException("not an array made here: element type " + elementType);
    };
    statement.setArray(index, new PgArray(statement.getConnection().unwrap(BaseConnection.class), arrayType, array));
  }

  /** A {@code text[]} of the given values (null elements are SQL NULL), each encoded as UTF-8. */
  public static byte[] text(String[] values) {
    byte[][] utf8 = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      utf8[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
    }
    return text(utf8);
  }

  /** An {@code int8[]} of the values, lower bound 1. */
  public static byte[] int8(long[] values) {
    if (values.length == 0) return empty(INT8);
    byte[] out = new byte[HEADER + values.length * (Integer.BYTES + Long.BYTES)];
    int at = header(out, values.length, false, INT8);
    for (long value : values) {
      at = putInt(out, at, Long.BYTES);
      at = putInt(out, at, (int) (value >>> 32));
      at = putInt(out, at, (int) value);
    }
    return out;
  }

  /** An {@code int4[]} of the values, lower bound 1. */
  public static byte[] int4(int[] values) {
    if (values.length == 0) return empty(INT4);
    byte[] out = new byte[HEADER + values.length * (Integer.BYTES + Integer.BYTES)];
    int at = header(out, values.length, false, INT4);
    for (int value : values) {
      at = putInt(out, at, Integer.BYTES);
      at = putInt(out, at, value);
    }
    return out;
  }

  /**
   * A {@code text[]} of the given UTF-8 values (null elements are SQL NULL), lower bound 1.
   *
   * @throws IllegalArgumentException when the array would not fit in one Java array
   */
  public static byte[] text(byte[][] values) {
    if (values.length == 0) return empty(TEXT);
    long size = HEADER;
    boolean nulls = false;
    for (byte[] value : values) {
      size += Integer.BYTES + (value == null ? 0 : value.length);
      nulls |= value == null;
    }
    if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a text[] of " + size + " bytes is too large");
    byte[] out = new byte[(int) size];
    int at = header(out, values.length, nulls, TEXT);
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
    if (values.length == 0) return empty(TEXT);
    byte[] out = new byte[HEADER + values.length * (Integer.BYTES + UUID_TEXT)];
    int at = header(out, values.length, false, TEXT);
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
  private static byte[] empty(int elementType) {
    byte[] out = new byte[3 * Integer.BYTES];
    putInt(out, ELEMENT_TYPE, elementType);
    return out;
  }

  /** Writes the header of a one-dimensional array of {@code length} elements; returns where the first goes. */
  private static int header(byte[] out, int length, boolean nulls, int elementType) {
    int at = putInt(out, 0, 1);
    at = putInt(out, at, nulls ? 1 : 0);
    at = putInt(out, at, elementType);
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

  private static int getInt(byte[] in, int at) {
    return ((in[at] & 0xFF) << 24) | ((in[at + 1] & 0xFF) << 16) | ((in[at + 2] & 0xFF) << 8) | (in[at + 3] & 0xFF);
  }
}
