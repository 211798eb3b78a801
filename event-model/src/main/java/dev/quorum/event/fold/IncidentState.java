package dev.quorum.event.fold;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The fold of an incident stream: its episodes (oldest first), the order key of the last event
 * applied, counters, and which episode holds each follow-up still open.
 *
 * <p>The lifecycle moves only the latest episode; an earlier one changes only when one of its open
 * follow-ups is completed. So a long-lived holder (a state store) may keep {@link #withoutHistory()}
 * and store the episodes elsewhere, handing the one a completion needs to {@link Fold#apply(IncidentState,
 * dev.quorum.event.Event, Fold.Episodes)}.
 *
 * <p>{@code heldAcknowledgement} is the broker time of an acknowledgement that found no open episode and
 * waits for the trigger it answers ({@link CausalGuard}); null when there is none.
 */
public record IncidentState(
    UUID incidentId, List<Episode> episodes, OrderKey last, long events, long withoutEffect, long unknown,
    Map<String, Integer> openFollowups, Instant heldAcknowledgement) {

  /** This state with other episodes (a view of them: trimmed, or with their items put back); nothing else changes. */
  public IncidentState withEpisodes(List<Episode> shown) {
    return new IncidentState(incidentId, shown, last, events, withoutEffect, unknown, openFollowups, heldAcknowledgement);
  }

  public IncidentState {
    Objects.requireNonNull(incidentId, "incidentId");
    episodes = List.copyOf(episodes);
    // a value stored before follow-ups were indexed has none: absent means no open follow-up
    openFollowups = SharedMap.of(openFollowups);
  }

  public static IncidentState empty(UUID incidentId) {
    return new IncidentState(incidentId, List.of(), null, 0, 0, 0, Map.of(), null);
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
        : new IncidentState(incidentId, List.of(episodes.getLast()), last, events, withoutEffect, unknown, openFollowups,
            heldAcknowledgement);
  }
}
