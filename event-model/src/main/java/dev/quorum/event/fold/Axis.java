package dev.quorum.event.fold;

/** The time axis of an as-of query (DESIGN §3). */
public enum Axis {
  /** What had happened by then, by the producers' clocks ({@code occurredAt}). */
  OCCURRED,
  /** What the record said at that instant ({@code recordedAt}). */
  RECORDED
}
