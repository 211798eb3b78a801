package dev.quorum.writer.domain;

import dev.quorum.event.Event;

/** What the Kafka transaction sends for one delivery: its stored event, or its dead letter. */
public sealed interface Publication {
  Delivery delivery();

  /** The stored version of the delivered event, as the database returned it. */
  record Committed(Delivery delivery, Event stored) implements Publication {}

  record DeadLettered(Delivery delivery, DeadLetter deadLetter) implements Publication {}
}
