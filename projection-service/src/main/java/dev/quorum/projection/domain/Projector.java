package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.Step;
import dev.quorum.event.fold.TimelineEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies stored events to the views of one partition (DESIGN §5): incrementally when an event sorts
 * after everything applied, by a re-fold of the incident's timeline otherwise, and not at all when its
 * event id is already applied under an order key that sorts no later (the fold's rule: the copy of an id
 * that sorts first stands). Whatever the arrival order or the repeats, the stored views equal those of
 * {@link Fold#replay} over the distinct events.
 */
public final class Projector {

  /** What applying one event did. */
  public enum Outcome {
    /** The event sorted last and was applied to the stored state. */
    APPLIED,
    /** The event sorted before an applied one: the incident was re-folded from its timeline. */
    REFOLDED,
    /** The event's id was already applied. */
    DUPLICATE
  }

  /** Told about every episode whose stored value changed; {@code before} or {@code after} is null when absent. */
  public interface Changes {
    void episodeChanged(UUID incidentId, int number, Episode before, Episode after);
  }

  private final ViewStore store;
  private final Changes changes;

  public Projector(ViewStore store, Changes changes) {
    this.store = Objects.requireNonNull(store, "store");
    this.changes = Objects.requireNonNull(changes, "changes");
  }

  public Outcome project(Event event) {
    UUID incidentId = event.incidentId();
    OrderKey key = event.orderKey();
    OrderKey applied = store.appliedKey(incidentId, event.id());
    if (applied != null && applied.compareTo(key) <= 0) return Outcome.DUPLICATE;
    IncidentState stored = store.state(incidentId);
    IncidentState state = stored == null ? IncidentState.empty(incidentId) : stored;
    if (applied == null && Fold.sortsLast(state, event)) {
      applyLast(state, event);
      return Outcome.APPLIED;
    }
    // sorts before an applied event, or is a copy of an applied id that sorts before it: the fold decides
    refold(event);
    return Outcome.REFOLDED;
  }

  private void applyLast(IncidentState state, Event event) {
    UUID incidentId = state.incidentId();
    Step step = Fold.apply(state, event, number -> store.episode(incidentId, number));
    store.putTimelineEntry(step.entry());
    store.putAppliedKey(incidentId, event.id(), event.orderKey());
    if (step.after() != null && !step.after().equals(step.before())) {
      store.putEpisode(incidentId, step.after());
      changes.episodeChanged(incidentId, step.after().number(), step.before(), step.after());
    }
    store.putState(step.state().withoutHistory());
  }

  private void refold(Event late) {
    UUID incidentId = late.incidentId();
    List<TimelineEntry> existing = store.timeline(incidentId);
    List<Event> events = new ArrayList<>(existing.size() + 1);
    existing.forEach(entry -> events.add(entry.event()));
    events.add(late);
    Fold.Replay replay = Fold.replay(events);
    List<TimelineEntry> timeline = replay.timeline();

    // Everything before the first difference folds as before; from there on, entries may differ.
    int first = 0;
    while (first < timeline.size() && first < existing.size() && timeline.get(first).equals(existing.get(first))) {
      first++;
    }
    // The episodes that may change: the one the first difference lands in and every later one, and any
    // earlier one an entry from there on names (the completion of an earlier episode's follow-up).
    TreeSet<Integer> affected = new TreeSet<>();
    Map<OrderKey, TimelineEntry> old = new HashMap<>();
    for (int i = first; i < existing.size(); i++) {
      old.put(existing.get(i).event().orderKey(), existing.get(i));
      affected.add(existing.get(i).episode());
    }
    for (int i = first; i < timeline.size(); i++) {
      TimelineEntry entry = timeline.get(i);
      affected.add(entry.episode());
      if (!entry.equals(old.remove(entry.event().orderKey()))) {
        store.putTimelineEntry(entry);
        store.putAppliedKey(incidentId, entry.event().id(), entry.event().orderKey());
      }
    }
    // Only a second copy of an id under another order key is left here: the copy that sorts first stands.
    old.keySet().forEach(key -> store.deleteTimelineEntry(incidentId, key));

    int firstAffected = first == 0 ? 1 : Math.max(1, timeline.get(first - 1).episode());
    IncidentState before = store.state(incidentId);
    int oldCount = before == null ? 0 : before.episodeCount();
    IncidentState after = replay.state();
    int newCount = after.episodes().size(); // a full replay holds every episode, numbered from 1
    for (int number = firstAffected; number <= Math.max(oldCount, newCount); number++) affected.add(number);
    affected.remove(0);
    for (int number : affected) {
      Episode oldEpisode = store.episode(incidentId, number);
      Episode newEpisode = number <= newCount ? after.episodes().get(number - 1) : null;
      if (Objects.equals(oldEpisode, newEpisode)) continue;
      if (newEpisode == null) {
        store.deleteEpisode(incidentId, number);
      } else {
        store.putEpisode(incidentId, newEpisode);
      }
      changes.episodeChanged(incidentId, number, oldEpisode, newEpisode);
    }
    store.putState(after.withoutHistory());
  }
}
