package dev.quorum.event.fold;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The fold of an incident stream: its episodes (oldest first), the order key of the last event
 * applied and counters.
 *
 * <p>Only the latest episode can still change, so a long-lived holder (a state store) may keep
 * {@link #withoutHistory()} and store finished episodes elsewhere: applying further events to it
 * gives the same latest episode.
 */
public record IncidentState(
    UUID incidentId, List<Episode> episodes, OrderKey last, long events, long withoutEffect, long unknown) {

  public IncidentState {
    Objects.requireNonNull(incidentId, "incidentId");
    episodes = List.copyOf(episodes);
  }

  public static IncidentState empty(UUID incidentId) {
    return new IncidentState(incidentId, List.of(), null, 0, 0, 0);
  }

  public Optional<Episode> latest() {
    return episodes.isEmpty() ? Optional.empty() : Optional.of(episodes.getLast());
  }

  /** The number of the latest episode, 0 before the first. */
  public int episodeCount() {
    return episodes.isEmpty() ? 0 : episodes.getLast().number();
  }

  public Optional<Episode> episode(int number) {
    return episodes.stream().filter(e -> e.number() == number).findFirst();
  }

  /** The same state holding only the latest episode: what an incremental holder needs. */
  public IncidentState withoutHistory() {
    return episodes.size() <= 1
        ? this
        : new IncidentState(incidentId, List.of(episodes.getLast()), last, events, withoutEffect, unknown);
  }
}
