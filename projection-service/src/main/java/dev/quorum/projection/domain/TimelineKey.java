package dev.quorum.projection.domain;

import dev.quorum.event.fold.OrderKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The key of one event in an incident's timeline: the incident id, then the event's order key, so that a
 * byte-ordered range scan over one incident returns its events in fold order and a re-delivered event
 * maps to the key it already has.
 */
public record TimelineKey(UUID incidentId, OrderKey orderKey) {
  public static final int BYTES = 16 + OrderKey.BYTES;

  public TimelineKey {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(orderKey, "orderKey");
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).put(Keys.uuid(incidentId)).put(orderKey.toBytes()).array();
  }

  public static TimelineKey fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a timeline key has " + BYTES + " bytes, not " + bytes.length);
    }
    return new TimelineKey(
        Keys.uuid(bytes, 0), OrderKey.fromBytes(Arrays.copyOfRange(bytes, 16, BYTES)));
  }

  /** The smallest key of the incident: range scans start here. */
  public static byte[] first(UUID incidentId) {
    return Keys.bound(incidentId, OrderKey.BYTES, (byte) 0x00);
  }

  /** The largest key of the incident: range scans end here (inclusive). */
  public static byte[] last(UUID incidentId) {
    return Keys.bound(incidentId, OrderKey.BYTES, (byte) 0xff);
  }
}
