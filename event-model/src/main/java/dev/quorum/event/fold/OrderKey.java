package dev.quorum.event.fold;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The record's order of a stored event (DESIGN §5): broker append time, then source partition,
 * offset and event id. Every part is fixed at first store, so every replica sorts alike.
 *
 * <p>{@link #toBytes()} is order-preserving: unsigned lexicographic byte order equals
 * {@link #compareTo}, so key-value stores can range-scan in fold order.
 */
public record OrderKey(Instant ingestedAt, int partition, long offset, UUID eventId)
    implements Comparable<OrderKey> {
  public static final int BYTES = 8 + 4 + 8 + 16;

  public OrderKey {
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    Objects.requireNonNull(eventId, "eventId");
    ingestedAt = ingestedAt.truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public int compareTo(OrderKey other) {
    int c = ingestedAt.compareTo(other.ingestedAt);
    if (c != 0) return c;
    c = Integer.compare(partition, other.partition);
    if (c != 0) return c;
    c = Long.compare(offset, other.offset);
    if (c != 0) return c;
    c = Long.compareUnsigned(eventId.getMostSignificantBits(), other.eventId.getMostSignificantBits());
    if (c != 0) return c;
    return Long.compareUnsigned(eventId.getLeastSignificantBits(), other.eventId.getLeastSignificantBits());
  }

  public byte[] toBytes() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, ingestedAt);
    return ByteBuffer.allocate(BYTES)
        .putLong(micros ^ Long.MIN_VALUE) // flip the sign bit: signed order becomes byte order
        .putInt(partition ^ Integer.MIN_VALUE)
        .putLong(offset ^ Long.MIN_VALUE)
        .putLong(eventId.getMostSignificantBits())
        .putLong(eventId.getLeastSignificantBits())
        .array();
  }

  public static OrderKey fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) throw new IllegalArgumentException("an order key has " + BYTES + " bytes, not " + bytes.length);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    Instant ingestedAt = Instant.EPOCH.plus(buffer.getLong() ^ Long.MIN_VALUE, ChronoUnit.MICROS);
    int partition = buffer.getInt() ^ Integer.MIN_VALUE;
    long offset = buffer.getLong() ^ Long.MIN_VALUE;
    UUID id = new UUID(buffer.getLong(), buffer.getLong());
    return new OrderKey(ingestedAt, partition, offset, id);
  }
}
