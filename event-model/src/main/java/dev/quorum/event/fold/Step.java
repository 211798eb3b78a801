package dev.quorum.event.fold;

/** The result of applying one event: the new state and the event's timeline entry. */
public record Step(IncidentState state, TimelineEntry entry) {}
