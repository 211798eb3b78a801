package dev.quorum.ingest.kafka;

import dev.quorum.event.Event;

/** What the publisher would refuse, for tests of the adapters that build events. */
public final class Publishable {
  private Publishable() {}

  /**
   * Checks an event as {@link QuorumPublisher} does before sending it.
   *
   * @throws dev.quorum.event.codec.DecodeException if the publisher would refuse it
   */
  public static void check(Event event) {
    QuorumPublisher.validated(event);
  }
}
