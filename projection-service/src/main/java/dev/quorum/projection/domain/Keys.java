package dev.quorum.projection.domain;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/** Byte helpers shared by the store keys: a UUID as 16 big-endian bytes sorts like its two longs unsigned. */
final class Keys {
  private Keys() {}

  static byte[] uuid(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  static UUID uuid(byte[] bytes, int offset) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, 16);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  static byte[] bound(UUID id, int suffixLength, byte fill) {
    byte[] key = Arrays.copyOf(uuid(id), 16 + suffixLength);
    Arrays.fill(key, 16, key.length, fill);
    return key;
  }
}
