package dev.quorum.event.fold;

/** The lifecycle status of one episode (DESIGN §4). */
public enum Status {
  TRIGGERED, ACKNOWLEDGED, MITIGATED, RESOLVED, CLOSED, MERGED;

  /** Open: a responder still has work to do. */
  public boolean isOpen() {
    return this == TRIGGERED || this == ACKNOWLEDGED || this == MITIGATED;
  }
}
