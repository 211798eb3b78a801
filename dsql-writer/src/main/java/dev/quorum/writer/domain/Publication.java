package dev.quorum.writer.domain;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.store.Incoming;

/** What the Kafka transaction sends for one delivery: its stored event, or its dead letter. */
public sealed interface Publication {
  Delivery delivery();

  /**
   * The stored version of the delivered event, as the database returned it.
   *
   * @param dataJson the stored event's {@code data} as written for the database, UTF-8 ({@link
   *     dev.quorum.event.codec.EventCodec#dataJson}), for the committed record to reuse; null: write it again
   */
  record Committed(Delivery delivery, Event stored, byte[] dataJson) implements Publication {
    /**
     * The committed version of what {@code incoming} delivered: it carries the data text the incoming
     * wrote when the stored event holds the same data (a known type's), else none.
     */
    public static Committed of(Delivery delivery, Event stored, Incoming incoming) {
      EventData data = stored.data();
      boolean same = !(data instanceof EventData.Unknown)
          && (data == incoming.event().data() || data.equals(incoming.event().data()));
      return new Committed(delivery, stored, same ? incoming.dataColumn() : null);
    }
  }

  record DeadLettered(Delivery delivery, DeadLetter deadLetter) implements Publication {}
}
