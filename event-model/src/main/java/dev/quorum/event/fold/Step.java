package dev.quorum.event.fold;

/**
 * The result of applying one event: the new state, the event's timeline entry, and the episode it
 * changed ({@code before} → {@code after}; both null when no episode changed, {@code before} null for a
 * new episode). The changed episode is the latest one, or an earlier one whose follow-up was completed.
 */
public record Step(IncidentState state, TimelineEntry entry, Episode before, Episode after) {}
