package dev.quorum.projection.domain;

import java.nio.ByteBuffer;
import java.util.UUID;

/** The key of one applied event id of an incident: the incident id, then the event id (16 + 16 bytes). */
public final class AppliedKey {
  public static final int BYTES = 32;

  private AppliedKey() {}

  public static byte[] toBytes(UUID incidentId, UUID eventId) {
    return ByteBuffer.allocate(BYTES).put(Keys.uuid(incidentId)).put(Keys.uuid(eventId)).array();
  }
}
