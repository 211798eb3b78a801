package dev.quorum.event.fold;

/** What an event did to the incident; every event stays in the timeline whatever its effect. */
public enum Effect {
  /** It changed the state (or, for a note, belongs to the timeline by nature). */
  APPLIED,
  /** It made no sense in the state it met, e.g. an acknowledgement after the resolve. */
  NO_EFFECT,
  /** A type this version does not know: kept and shown, no effect (tolerant reader). */
  UNKNOWN_TYPE
}
