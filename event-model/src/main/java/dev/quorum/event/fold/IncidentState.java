package dev.quorum.event.fold;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
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

  /** A state with no held acknowledgement. */
  public IncidentState(UUID incidentId, List<Episode> episodes, OrderKey last, long events, long withoutEffect, long unknown,
      Map<String, Integer> openFollowups) {
    this(incidentId, episodes, last, events, withoutEffect, unknown, openFollowups, null);
  }

  public IncidentState {
    Objects.requireNonNull(incidentId, "incidentId");
    episodes = List.copyOf(episodes);
    // a value stored before follow-ups were indexed has none: absent means no open follow-up; every event
    // hands the index of the state before to the state after, and only a changed index is copied
    openFollowups = openFollowups == null ? Map.of()
        : openFollowups instanceof FollowupIndex index ? index : new FollowupIndex(new TreeMap<>(openFollowups));
  }

  /** The follow-up index: an unmodifiable sorted copy that only this record makes, so it is never copied twice. */
  private static final class FollowupIndex extends AbstractMap<String, Integer> {
    private final TreeMap<String, Integer> sorted;
    private final Set<Map.Entry<String, Integer>> entries;

    FollowupIndex(TreeMap<String, Integer> sorted) {
      this.sorted = sorted;
      this.entries = Collections.unmodifiableMap(sorted).entrySet();
    }

    @Override
    public Set<Map.Entry<String, Integer>> entrySet() {
      return entries;
    }

    @Override
    public Integer get(Object key) {
      return sorted.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return sorted.containsKey(key);
    }

    @Override
    public int size() {
      return sorted.size();
    }
  }

  public static IncidentState empty(UUID incidentId) {
    return new IncidentState(incidentId, List.of(), null, 0, 0, 0, Map.of());
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
