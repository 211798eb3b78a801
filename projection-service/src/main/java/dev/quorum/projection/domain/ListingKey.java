package dev.quorum.projection.domain;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Status;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The key of one episode in the listing index: its status, then the list order (newest trigger first,
 * then incident id, then number), so that one status's page is a range scan of about a page of keys.
 * The bytes sort, unsigned, as {@link Listing.Position#ORDER} within a status.
 */
public record ListingKey(Status status, Instant triggeredAt, UUID incidentId, int number) {
  public static final int BYTES = 1 + 8 + 4 + 16 + 4;

  public ListingKey {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(triggeredAt, "triggeredAt");
    Objects.requireNonNull(incidentId, "incidentId");
  }

  public static ListingKey of(UUID incidentId, Episode episode) {
    return new ListingKey(episode.status(), episode.triggeredAt(), incidentId, episode.number());
  }

  /** Where a scan of {@code status} after {@code after} starts (the position itself sorts first and is skipped). */
  public static ListingKey at(Status status, Listing.Position after) {
    return new ListingKey(status, after.triggeredAt(), after.incidentId(), after.number());
  }

  public Listing.Position position() {
    return new Listing.Position(triggeredAt, incidentId, number);
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES)
        .put((byte) status.ordinal())
        .putLong(~(triggeredAt.getEpochSecond() ^ Long.MIN_VALUE)) // newest first
        .putInt(999_999_999 - triggeredAt.getNano())
        .putLong(incidentId.getMostSignificantBits() ^ Long.MIN_VALUE) // UUID.compareTo compares signed longs
        .putLong(incidentId.getLeastSignificantBits() ^ Long.MIN_VALUE)
        .putInt(number)
        .array();
  }

  public static ListingKey fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) throw new IllegalArgumentException("a listing key has " + BYTES + " bytes, not " + bytes.length);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    Status status = Status.values()[b.get()];
    long seconds = ~b.getLong() ^ Long.MIN_VALUE;
    int nanos = 999_999_999 - b.getInt();
    UUID id = new UUID(b.getLong() ^ Long.MIN_VALUE, b.getLong() ^ Long.MIN_VALUE);
    return new ListingKey(status, Instant.ofEpochSecond(seconds, nanos), id, b.getInt());
  }

  /** The first key of a status. */
  public static byte[] first(Status status) {
    byte[] key = new byte[BYTES];
    key[0] = (byte) status.ordinal();
    return key;
  }

  /** The last key of a status. */
  public static byte[] last(Status status) {
    byte[] key = new byte[BYTES];
    java.util.Arrays.fill(key, (byte) 0xff);
    key[0] = (byte) status.ordinal();
    return key;
  }
}
