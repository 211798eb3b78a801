package dev.quorum.writer.domain;

import dev.quorum.event.Event;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.store.Incoming;

/** A delivery after decoding and validation: an event to store, or a dead letter already. */
public sealed interface Decoded {
  Delivery delivery();

  /** A valid envelope, of a known type or not (unknown types are stored: DESIGN §4). */
  record Valid(Delivery delivery, Incoming incoming) implements Decoded {}

  /** Not a valid envelope, or a known type with invalid data. */
  record Invalid(Delivery delivery, DeadLetter deadLetter) implements Decoded {}

  /** Decodes one delivery; never throws for bad input, which becomes a dead letter naming the path. */
  static Decoded of(Delivery delivery) {
    try {
      Event event = EventCodec.decode(delivery.value());
      return new Valid(delivery, new Incoming(event, delivery.timestamp(), delivery.partition(), delivery.offset()));
    } catch (DecodeException e) {
      DeadLetter.Reason reason = e.path().startsWith("$.data")
          ? DeadLetter.Reason.INVALID_DATA
          : DeadLetter.Reason.MALFORMED_ENVELOPE;
      return new Invalid(delivery, new DeadLetter(delivery, reason, e.getClass().getName(), e.getMessage(), null));
    } catch (RuntimeException e) {
      // A constructor invariant the codec did not name: still the record's fault, not the writer's.
      return new Invalid(delivery, new DeadLetter(delivery, DeadLetter.Reason.MALFORMED_ENVELOPE,
          e.getClass().getName(), String.valueOf(e.getMessage()), null));
    }
  }
}
