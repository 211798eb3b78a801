package dev.quorum.store;

import dev.quorum.event.Event;
import dev.quorum.event.Stored;
import dev.quorum.event.codec.EventCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An event as delivered, with what the pipeline knows before storing it: the broker's append time
 * and the record's coordinates on the actions topic.
 *
 * <p>It also holds its {@linkplain #dataColumn() data column}, written once where the delivery is
 * decoded: the writer decodes on its loop thread while the database thread stores the batch before,
 * so the one serial step of storing spends no time writing JSON, and the committed record reuses
 * the same text.
 */
public final class Incoming {
  private final Event event;
  private final Instant ingestedAt;
  private final int partition;
  private final long offset;
  private final byte[] dataColumn;

  public Incoming(Event event, Instant ingestedAt, int partition, long offset) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    if (partition < 0) throw new IllegalArgumentException("partition must be >= 0: " + partition);
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0: " + offset);
    // Pipeline attributes a producer may have sent are not its to set.
    this.event = event.unstored();
    this.ingestedAt = ingestedAt.truncatedTo(ChronoUnit.MICROS);
    this.partition = partition;
    this.offset = offset;
    this.dataColumn = EventCodec.dataJson(event.data());
  }

  public Event event() {
    return event;
  }

  public Instant ingestedAt() {
    return ingestedAt;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  /**
   * The event's {@code data} as the event log stores it ({@link EventCodec#dataJson}), in UTF-8, null for
   * an unknown type without data. Written here, where the delivery is decoded, in the encoding the database
   * and the committed record take: the database thread sends these bytes as they are. Not to be modified.
   */
  public byte[] dataColumn() {
    return dataColumn;
  }

  /** The event as it will be stored, given the storing statement's time. */
  public Event storedAt(Instant recordedAt) {
    return event.withStored(new Stored(ingestedAt, recordedAt, partition, offset));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Incoming that && partition == that.partition && offset == that.offset
        && event.equals(that.event) && ingestedAt.equals(that.ingestedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, ingestedAt, partition, offset);
  }

  @Override
  public String toString() {
    return "Incoming[event=" + event + ", ingestedAt=" + ingestedAt + ", partition=" + partition + ", offset=" + offset + "]";
  }
}
