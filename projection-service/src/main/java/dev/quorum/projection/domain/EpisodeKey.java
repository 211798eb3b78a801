package dev.quorum.projection.domain;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/** The key of one episode: the incident id, then the episode number, so one incident's episodes sort together. */
public record EpisodeKey(UUID incidentId, int number) {
  public static final int BYTES = 16 + 4;

  public EpisodeKey {
    Objects.requireNonNull(incidentId, "incidentId");
    if (number < 1) throw new IllegalArgumentException("episodes are numbered from 1, not " + number);
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).put(Keys.uuid(incidentId)).putInt(number).array();
  }

  public static EpisodeKey fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an episode key has " + BYTES + " bytes, not " + bytes.length);
    }
    return new EpisodeKey(Keys.uuid(bytes, 0), ByteBuffer.wrap(bytes, 16, 4).getInt());
  }

  public static byte[] first(UUID incidentId) {
    return Keys.bound(incidentId, 4, (byte) 0x00);
  }

  public static byte[] last(UUID incidentId) {
    return Keys.bound(incidentId, 4, (byte) 0xff);
  }

  /** The text form used as a Kafka key: {@code <incidentId>/<number>}. */
  @Override
  public String toString() {
    return incidentId + "/" + number;
  }

  public static EpisodeKey parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not an episode key: " + text);
    return new EpisodeKey(UUID.fromString(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
  }
}
