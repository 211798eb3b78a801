package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.Step;
import dev.quorum.event.fold.TimelineEntry;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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

  /**
   * A stored event the views cannot take: the store refuses a state value it would lead to, or the fold
   * refuses it. Thrown before anything is written, so the views stay those of the events before.
   */
  public static final class Refused extends RuntimeException {
    private final UUID eventId;

    Refused(UUID eventId, String reason, Throwable cause) {
      super("event " + eventId + ": " + reason, cause);
      this.eventId = eventId;
    }

    public UUID eventId() {
      return eventId;
    }
  }

  /** Told about every episode whose stored value changed; {@code before} or {@code after} is null when absent. */
  public interface Changes {
    void episodeChanged(UUID incidentId, int number, Episode before, Episode after);

    /** A record for a merge target's key (ADR 7), in the source's fold order. */
    default void forward(Forwarded record) {}

    /**
     * An event to store on another stream (ADR 7): the end of an alert a merge target ended, or a firing
     * that came after it. Its id is derived, so asking again is a repeat.
     */
    default void derive(Event event) {}
  }

  private final ViewStore store;
  private final Changes changes;
  private final MergeForwarding merges;

  public Projector(ViewStore store, Changes changes) {
    this.store = Objects.requireNonNull(store, "store");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.merges = new MergeForwarding(store, changes);
  }

  /** Takes a record another incident's projection forwarded to this one's key (ADR 7). */
  public void receive(Forwarded record) {
    merges.receive(record);
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
    Step step;
    try {
      step = Fold.apply(state, event, number -> store.episode(incidentId, number));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new Refused(event.id(), "the fold refused it: " + e.getMessage(), e);
    }
    IncidentState next = EpisodeItems.trim(step.state().withoutHistory());
    admit(event, next);
    store.putTimelineEntry(step.entry());
    UUID target = MergeForwarding.target(state.latest().orElse(null), step);
    if (target != null) changes.forward(new Forwarded.Signal(target, step.entry()));
    store.putAppliedKey(incidentId, event.id(), event.orderKey());
    if (opens(state, step)) {
      store.putCheckpoint(incidentId, step.after().number(), new Checkpoint(event.orderKey(), state));
    }
    if (step.after() != null && !step.after().equals(step.before())) {
      EpisodeItems.written(incidentId, step.before(), step.after(), event).forEach(store::putItem);
      Episode after = EpisodeItems.trim(step.after());
      store.putEpisode(incidentId, after);
      merges.changed(incidentId, after.number(), step.before(), after);
    }
    store.putState(next);
  }

  private void admit(Event event, IncidentState state) {
    String refusal = store.refusal(state);
    if (refusal != null) throw new Refused(event.id(), refusal, null);
  }

  private static boolean opens(IncidentState before, Step step) {
    return step.after() != null && step.after().number() > before.episodeCount();
  }

  /**
   * Re-folds from the checkpoint of the latest episode opened before the late event: the state just
   * before that episode's opener, and the timeline from the opener on. A late event in the latest
   * episode costs that episode's events, not the stream's history. Only when the replay completes a
   * follow-up of an episode before the checkpoint (whose stored value already holds later completions),
   * or the views predate checkpoints, does it fold the whole timeline.
   */
  private void refold(Event late) {
    UUID incidentId = late.incidentId();
    IncidentState stored = store.state(incidentId);
    Checkpoint checkpoint = null;
    for (int number = stored == null ? 0 : stored.episodeCount(); number >= 1; number--) {
      Checkpoint candidate = store.checkpoint(incidentId, number);
      if (candidate == null) break; // views stored before checkpoints: from the start
      if (candidate.opener().compareTo(late.orderKey()) < 0) {
        checkpoint = candidate;
        break;
      }
    }
    if (checkpoint != null) {
      try {
        refold(late, stored, checkpoint.before(), store.timelineFrom(incidentId, checkpoint.opener()));
        return;
      } catch (BeforeCheckpoint e) {
        // an earlier episode's follow-up completed in the replayed range: fold it all
      }
    }
    refold(late, stored, IncidentState.empty(incidentId), store.timeline(incidentId));
  }

  /** Thrown when a replay from a checkpoint needs an episode as it stood before the checkpoint. */
  private static final class BeforeCheckpoint extends RuntimeException {
    BeforeCheckpoint() {
      super(null, null, false, false);
    }
  }

  private void refold(Event late, IncidentState stored, IncidentState start, List<TimelineEntry> timelineRange) {
    UUID incidentId = late.incidentId();
    // signals of incidents merged into this one share its timeline; they are not its events
    List<TimelineEntry> existing = timelineRange.stream().filter(e -> e.event().incidentId().equals(incidentId)).toList();
    List<Event> events = new ArrayList<>(existing.size() + 1);
    existing.forEach(entry -> events.add(entry.event()));
    events.add(late);
    events.sort((a, b) -> a.orderKey().compareTo(b.orderKey()));

    // The replay: episodes it opens or changes, and the checkpoints of the episodes it opens.
    int untouched = start.episodeCount(); // episodes up to here keep their stored values
    TreeMap<Integer, Episode> replayed = new TreeMap<>();
    TreeMap<Integer, Checkpoint> opened = new TreeMap<>();
    TreeMap<Integer, Map<String, EpisodeItems.Item>> items = new TreeMap<>(); // by episode, in key order: the last write
    Fold.Episodes earlier = number -> {
      Episode episode = replayed.get(number);
      if (episode != null) return episode;
      if (number <= untouched) throw new BeforeCheckpoint();
      return null;
    };
    Set<UUID> seen = new HashSet<>();
    IncidentState state = start;
    List<TimelineEntry> timeline = new ArrayList<>(events.size());
    List<UUID> targets = new ArrayList<>(events.size()); // where each entry is forwarded, or null
    for (Event event : events) {
      if (!seen.add(event.id())) continue; // the copy that sorts first stands
      Step step;
      try {
        step = Fold.apply(state, event, earlier);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new Refused(late.id(), "the fold refused " + event.id() + " in a re-fold: " + e.getMessage(), e);
      }
      IncidentState next = EpisodeItems.trim(step.state().withoutHistory());
      admit(late, next);
      if (step.after() != null) {
        if (step.after().number() <= untouched && !replayed.containsKey(step.after().number())) {
          throw new BeforeCheckpoint(); // the checkpoint's latest episode changed: its stored value is later
        }
        replayed.put(step.after().number(), EpisodeItems.trim(step.after()));
        for (EpisodeItems.Item item : EpisodeItems.written(incidentId, step.before(), step.after(), event)) {
          items.computeIfAbsent(item.episode(), n -> new TreeMap<>()).put(new String(item.key(), StandardCharsets.ISO_8859_1), item);
        }
        if (opens(state, step)) opened.put(step.after().number(), new Checkpoint(event.orderKey(), state));
      }
      targets.add(MergeForwarding.target(state.latest().orElse(null), step));
      state = next;
      timeline.add(step.entry());
    }

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
        if (targets.get(i) != null) changes.forward(new Forwarded.Signal(targets.get(i), entry));
      }
    }
    // Only a second copy of an id under another order key is left here: the copy that sorts first stands.
    old.keySet().forEach(key -> store.deleteTimelineEntry(incidentId, key));

    int firstAffected = first == 0 ? Math.max(1, untouched) : Math.max(1, timeline.get(first - 1).episode());
    int oldCount = stored == null ? 0 : stored.episodeCount();
    int newCount = state.episodeCount();
    for (int number = firstAffected; number <= Math.max(oldCount, newCount); number++) affected.add(number);
    affected.remove(0);
    // every item of a replayed episode was written in the replay (it opened there): rewrite those that differ
    Set<Integer> itemsChanged = new HashSet<>();
    for (int number : replayed.keySet()) {
      List<EpisodeItems.Item> now = new ArrayList<>(items.getOrDefault(number, Map.of()).values());
      if (now.equals(store.items(incidentId, number, Integer.MAX_VALUE))) continue;
      store.deleteItems(incidentId, number);
      now.forEach(store::putItem);
      itemsChanged.add(number);
    }
    for (int number = newCount + 1; number <= oldCount; number++) store.deleteItems(incidentId, number);
    for (int number : affected) {
      Episode oldEpisode = store.episode(incidentId, number);
      Episode newEpisode = number > newCount ? null : replayed.getOrDefault(number, oldEpisode);
      if (Objects.equals(oldEpisode, newEpisode) && !itemsChanged.contains(number)) continue;
      if (newEpisode == null) {
        store.deleteEpisode(incidentId, number);
      } else {
        store.putEpisode(incidentId, newEpisode);
      }
      merges.changed(incidentId, number, oldEpisode, newEpisode);
    }
    opened.forEach((number, checkpoint) -> {
      if (!checkpoint.equals(store.checkpoint(incidentId, number))) store.putCheckpoint(incidentId, number, checkpoint);
    });
    for (int number = newCount + 1; number <= oldCount; number++) store.deleteCheckpoint(incidentId, number);
    store.putState(state);
  }
}
