package dev.quorum.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

/**
 * Event and incident ids (DESIGN §3): random v4 ids for new events, and name-based v5 ids derived
 * from a source's own identity so that a re-sent request maps to the same id.
 */
public final class Ids {
  /** The namespace of every derived Quorum id. */
  public static final UUID NAMESPACE = UUID.fromString("6d1f0c8e-3b8a-4f53-9a52-4c0f1b7e2d91");

  private Ids() {}

  /** A random (v4) id: DSQL spreads writes by key, so new ids must not be time-ordered. */
  public static UUID newEventId() {
    return UUID.randomUUID();
  }

  /**
   * A name-based (v5, SHA-1) id over length-prefixed fields, so that no choice of field values can
   * collide with another split of the same characters ({@code |} may occur in label values).
   *
   * @param tag the source family, e.g. {@code am}, {@code pd}, {@code slack}
   * @param fields the source's identity, in a fixed order; none may be null
   */
  public static UUID derived(String tag, String... fields) {
    Objects.requireNonNull(tag, "tag");
    int size = 16 + 4 + tag.getBytes(StandardCharsets.UTF_8).length;
    byte[][] encoded = new byte[fields.length][];
    for (int i = 0; i < fields.length; i++) {
      encoded[i] = Objects.requireNonNull(fields[i], "field " + i).getBytes(StandardCharsets.UTF_8);
      size += 4 + encoded[i].length;
    }
    ByteBuffer name = ByteBuffer.allocate(size);
    name.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
    byte[] tagBytes = tag.getBytes(StandardCharsets.UTF_8);
    name.putInt(tagBytes.length).put(tagBytes);
    for (byte[] field : encoded) {
      name.putInt(field.length).put(field);
    }
    byte[] hash = sha1(name.array());
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }

  private static byte[] sha1(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-1", e);
    }
  }
}
