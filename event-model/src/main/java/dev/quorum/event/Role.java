package dev.quorum.event;

import java.util.Locale;

/** The incident roles a responder can hold. */
public enum Role {
  COMMANDER, SCRIBE, COMMS;

  /** The wire name: lower case. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
