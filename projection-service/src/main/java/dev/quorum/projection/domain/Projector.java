package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Effect;
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
     * A record a merge target passes on to the incident it is itself merged into (chained merges, ADR 7):
     * sent after what is already queued, at the next publication, never before.
     */
    default void relay(Forwarded record) {}

    /**
     * An event to store on another stream (ADR 7): the end of an alert a merge target ended, or a firing
     * that came after it. Its id is derived, so asking again is a repeat.
     */
    default void derive(Event event) {}
  }

  /** How many incidents' running reaches a projector keeps (the least recently applied go first). */
  static final int RUNNING_REACHES = 4_096;

  private final ViewStore store;
  private final Changes changes;
  private final MergeForwarding merges;
  /**
   * Per incident, the reach of its own events from the opener of its latest episode on (from its first
   * event when {@code opener} is null), kept while this projector applies each of them last, so that opening
   * the next episode need not read that episode's timeline back ({@link #reachBefore}). A re-fold of the
   * incident forgets it; a new projector (the task initialized again) starts without any.
   */
  private final Map<UUID, Running> running = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Running> eldest) {
      return size() > RUNNING_REACHES;
    }
  };

  private record Running(OrderKey opener, Checkpoint.Reach reach) {}

  public Projector(ViewStore store, Changes changes) {
    this.store = Objects.requireNonNull(store, "store");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.merges = new MergeForwarding(store, changes);
  }

  /** Takes a record another incident's projection forwarded to this one's key (ADR 7). */
  public void receive(Forwarded record) {
    merges.receive(record);
  }

  /**
   * Applies one stored event. A {@link Refused} event leaves the views as they were but for one late mark:
   * lacking an event the log holds, the views answer no as-of question of the incident (ADR 8).
   */
  public Outcome project(Event event) {
    try {
      return apply(event);
    } catch (Refused e) {
      store.putLateMarks(event.incidentId(), lateMarks(event.incidentId()).with(LateMarks.Mark.LACKING));
      throw e;
    }
  }

  private Outcome apply(Event event) {
    UUID incidentId = event.incidentId();
    OrderKey key = event.orderKey();
    OrderKey applied = store.appliedKey(incidentId, event.id());
    if (applied != null && applied.compareTo(key) <= 0) return Outcome.DUPLICATE;
    IncidentState stored = store.state(incidentId);
    IncidentState state = stored == null ? IncidentState.empty(incidentId) : stored;
    if (stored == null) running.put(incidentId, new Running(null, Checkpoint.Reach.NONE));
    if (applied == null && Fold.sortsLast(state, event)) {
      applyLast(state, event);
      return Outcome.APPLIED;
    }
    // sorts before an applied event, or is a copy of an applied id that sorts before it: the fold decides
    refold(event, stored, applied);
    return Outcome.REFOLDED;
  }

  private void applyLast(IncidentState state, Event event) {
    UUID incidentId = state.incidentId();
    Step step;
    try {
      // the fold reads an assignee or a follow-up only through the event naming it: that item is put back
      step = Fold.apply(EpisodeItems.named(state, event, store::item), event,
          EpisodeItems.named(incidentId, number -> store.episode(incidentId, number), event, store::item));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new Refused(event.id(), "the fold refused it: " + e.getMessage(), e);
    }
    Episode after = EpisodeItems.trim(step.after());
    IncidentState whole = step.state().withoutHistory();
    // the state holds the very episode stored below when it is the one the event changed: written once
    IncidentState next = after != null && whole.latest().orElse(null) == step.after()
        ? whole.withEpisodes(List.of(after)) : EpisodeItems.trim(whole);
    admit(event, next);
    store.putTimelineEntry(step.entry());
    UUID target = MergeForwarding.target(state.latest().orElse(null), step);
    if (target != null) changes.forward(new Forwarded.Signal(target, step.entry()));
    store.putAppliedKey(incidentId, event.id(), event.orderKey());
    Running was = running.get(incidentId);
    Running now = was == null ? null : new Running(was.opener(), was.reach().with(event));
    if (opens(state, step)) {
      int number = step.after().number();
      store.putCheckpoint(incidentId, number, new Checkpoint(event.orderKey(), state, reachBefore(incidentId, number, now)));
      store.opened(incidentId, number); // before its items are written below
      now = new Running(event.orderKey(), Checkpoint.Reach.NONE.with(event));
    }
    if (step.after() != null && !step.after().equals(step.before())) {
      EpisodeItems.written(incidentId, step.before(), step.after(), event).forEach(store::putItem);
      EpisodeItems.removed(incidentId, step.before(), step.after()).forEach(store::deleteItem);
      store.putEpisode(incidentId, after);
      merges.changed(incidentId, after.number(), step.before(), after);
    }
    store.putState(next);
    if (now != null) running.put(incidentId, now);
  }

  /** Key bytes as chars 0-255: string order is then the bytes' unsigned order. */
  private static String text(byte[] key) {
    return new String(key, StandardCharsets.ISO_8859_1);
  }

  /**
   * The reach of the incident's own events applied so far, all of which sort before the opener of episode
   * {@code number} that is being applied last: the reach of the previous checkpoint with the late marks
   * before it, and that of the timeline from its opener on (one episode's entries): {@code kept}'s, when it
   * is the running reach from that opener, or else read from the stored timeline. Null when the previous
   * checkpoint predates reaches.
   */
  private Checkpoint.Reach reachBefore(UUID incidentId, int number, Running kept) {
    Checkpoint.Reach reach = Checkpoint.Reach.NONE;
    OrderKey from = null;
    if (number > 1) {
      Checkpoint previous = store.checkpoint(incidentId, number - 1);
      if (previous == null || previous.reach() == null) return null;
      reach = lateMarks(incidentId).reach(previous.opener(), previous.reach());
      from = previous.opener();
    }
    if (kept != null && Objects.equals(kept.opener(), from)) return reach.with(kept.reach());
    try (ViewStore.Cursor cursor = store.timelineFrom(incidentId, from)) {
      while (cursor.hasNext()) {
        Event event = cursor.next().event();
        if (event.incidentId().equals(incidentId)) reach = reach.with(event);
      }
    }
    return reach;
  }

  private LateMarks lateMarks(UUID incidentId) {
    LateMarks marks = store.lateMarks(incidentId);
    return marks == null ? LateMarks.NONE : marks;
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
   * before that episode's opener, and the timeline from the opener on, read page by page. The replay stops
   * at the opener of a later episode whose stored checkpoint it meets again ({@link #converged}): from
   * there on it would fold the same events from the same state. So a late event costs the episodes it
   * changes, not the stream's history. Only when the replay completes a follow-up of an episode before the
   * checkpoint (whose stored value already holds later completions), or the views predate checkpoints, does
   * it fold the whole timeline.
   */
  private void refold(Event late, IncidentState stored, OrderKey lateCopy) {
    UUID incidentId = late.incidentId();
    running.remove(incidentId); // the replay may change entries of the latest episode: read its timeline again
    Checkpoint checkpoint = checkpointBefore(incidentId, stored == null ? 0 : stored.episodeCount(), late.orderKey());
    if (checkpoint != null) {
      try {
        refold(late, stored, lateCopy, checkpoint);
        return;
      } catch (BeforeCheckpoint e) {
        // an earlier episode's follow-up completed in the replayed range: fold it all
      }
    }
    refold(late, stored, lateCopy, null);
  }

  /**
   * The checkpoint of the latest of the first {@code count} episodes opened before {@code key}, or null.
   * Openers sort in episode order, so a binary search reads a logarithmic number of checkpoints; views
   * stored before checkpoints lack some, and then the search goes down from the latest as far as they exist.
   */
  private Checkpoint checkpointBefore(UUID incidentId, int count, OrderKey key) {
    int low = 1;
    int high = count;
    Checkpoint found = null;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      Checkpoint candidate = store.checkpoint(incidentId, middle);
      if (candidate == null) return linearCheckpointBefore(incidentId, count, key);
      if (candidate.opener().compareTo(key) < 0) {
        found = candidate;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  private Checkpoint linearCheckpointBefore(UUID incidentId, int count, OrderKey key) {
    for (int number = count; number >= 1; number--) {
      Checkpoint candidate = store.checkpoint(incidentId, number);
      if (candidate == null) return null; // views stored before checkpoints: from the start
      if (candidate.opener().compareTo(key) < 0) return candidate;
    }
    return null;
  }

  /** Thrown when a replay from a checkpoint needs an episode as it stood before the checkpoint. */
  private static final class BeforeCheckpoint extends RuntimeException {
    BeforeCheckpoint() {
      super(null, null, false, false);
    }
  }

  /** The stored timeline of one incident from an order key on, with a look at the next entry. */
  private static final class TimelineReader implements AutoCloseable {
    private final ViewStore.Cursor cursor;
    private TimelineEntry next;

    TimelineReader(ViewStore.Cursor cursor) {
      this.cursor = cursor;
      advance();
    }

    /** The next entry, or null at the end of the timeline. */
    TimelineEntry peek() {
      return next;
    }

    void advance() {
      next = cursor.hasNext() ? cursor.next() : null;
    }

    @Override
    public void close() {
      cursor.close();
    }
  }

  /** The replay's state with the counters another state holds: what a checkpoint is compared on. */
  private static IncidentState withCounters(IncidentState state, long events, long withoutEffect, long unknown) {
    return new IncidentState(state.incidentId(), state.episodes(), state.last(), events, withoutEffect, unknown,
        state.openFollowups(), state.heldAcknowledgement());
  }

  /**
   * True when the replay, about to apply {@code opener} (which opened episode {@code number} in the stored
   * fold), stands where the stored fold stood: the episode's checkpoint names that opener and holds this
   * state (the counters aside: the late event is one more), and no replayed episode has a follow-up still
   * open, which a later event could complete on a value that differs from the stored one. What follows is
   * then the stored fold's own continuation.
   */
  private boolean converged(IncidentState state, int number, OrderKey opener, Map<Integer, Episode> replayed) {
    for (int episode : state.openFollowups().values()) {
      if (replayed.containsKey(episode)) return false;
    }
    Checkpoint checkpoint = store.checkpoint(state.incidentId(), number);
    if (checkpoint == null || !checkpoint.opener().equals(opener)) return false;
    IncidentState before = checkpoint.before();
    return withCounters(state, before.events(), before.withoutEffect(), before.unknown()).equals(before);
  }

  /**
   * Replays the stored timeline from {@code checkpoint}'s opener (null: from the first entry, and the empty
   * state) with the late event in its place; stops where the stored fold is met again. {@code lateCopy} is
   * the order key of an applied copy of the late event's id (a repeat under an earlier key: that copy must
   * be passed, and its entry removed), or null.
   */
  private void refold(Event late, IncidentState stored, OrderKey lateCopy, Checkpoint checkpoint) {
    UUID incidentId = late.incidentId();
    IncidentState start = checkpoint == null ? IncidentState.empty(incidentId) : checkpoint.before();
    OrderKey from = checkpoint == null ? null : checkpoint.opener();
    // the reach of the own events before the replayed range: that of its checkpoint, null if unknown
    Checkpoint.Reach reach = checkpoint == null ? Checkpoint.Reach.NONE
        : checkpoint.reach() == null ? null : lateMarks(incidentId).reach(checkpoint.opener(), checkpoint.reach());
    int untouched = start.episodeCount(); // episodes up to here keep their stored values
    TreeMap<Integer, Episode> replayed = new TreeMap<>();
    TreeMap<Integer, Checkpoint> opened = new TreeMap<>();
    // by key, so in episode and key order: the last write, null when removed
    TreeMap<String, EpisodeItems.Item> items = new TreeMap<>();
    EpisodeItems.Lookup written = key -> items.get(text(key));
    Fold.Episodes earlier = number -> {
      Episode episode = replayed.get(number);
      if (episode != null) return episode;
      if (number <= untouched) throw new BeforeCheckpoint();
      return null;
    };
    Set<UUID> seen = new HashSet<>();
    IncidentState state = start;
    List<TimelineEntry> existing = new ArrayList<>(); // the stored entries of this incident's own events replayed
    List<TimelineEntry> timeline = new ArrayList<>(); // what the replay made of them and the late event
    List<UUID> targets = new ArrayList<>(); // where each entry is forwarded, or null
    boolean lateDone = false;
    int storedEpisode = untouched; // the episode the stored fold had reached
    int convergedAt = 0; // the episode whose opener the replay stopped at, 0 when it ran to the end
    try (TimelineReader reader = new TimelineReader(store.timelineFrom(incidentId, from))) {
      while (true) {
        TimelineEntry entry = reader.peek();
        Event event;
        if (!lateDone && (entry == null || late.orderKey().compareTo(entry.event().orderKey()) < 0)) {
          event = late;
          lateDone = true;
        } else if (entry == null) {
          break;
        } else {
          reader.advance();
          event = entry.event();
          // signals of incidents merged into this one share its timeline; they are not its events
          if (!event.incidentId().equals(incidentId)) continue;
          if (entry.episode() > storedEpisode) {
            storedEpisode = entry.episode();
            if (lateDone && (lateCopy == null || lateCopy.compareTo(event.orderKey()) < 0)
                && converged(state, entry.episode(), event.orderKey(), replayed)) {
              convergedAt = entry.episode();
              break;
            }
          }
          existing.add(entry);
        }
        if (!seen.add(event.id())) continue; // the copy that sorts first stands
        Step step;
        try {
          step = Fold.apply(EpisodeItems.named(state, event, written), event,
              EpisodeItems.named(incidentId, earlier, event, written));
        } catch (IllegalArgumentException | IllegalStateException e) {
          throw new Refused(late.id(), "the fold refused " + event.id() + " in a re-fold: " + e.getMessage(), e);
        }
        IncidentState next = EpisodeItems.trim(step.state().withoutHistory());
        if (step.after() != null) {
          if (step.after().number() <= untouched && !replayed.containsKey(step.after().number())) {
            throw new BeforeCheckpoint(); // the checkpoint's latest episode changed: its stored value is later
          }
          replayed.put(step.after().number(), EpisodeItems.trim(step.after()));
          for (EpisodeItems.Item item : EpisodeItems.written(incidentId, step.before(), step.after(), event)) {
            items.put(text(item.key()), item);
          }
          for (EpisodeItems.Item item : EpisodeItems.removed(incidentId, step.before(), step.after())) {
            items.put(text(item.key()), null);
          }
          if (opens(state, step)) {
            // only what is stored must fit a store value: this checkpoint's state, and the state the replay
            // ends with (below); the states in between are not kept (checking each was a twelfth of a replay)
            admit(late, state);
            opened.put(step.after().number(), new Checkpoint(event.orderKey(), state, reach));
          }
        }
        if (reach != null) reach = reach.with(event);
        targets.add(MergeForwarding.target(state.latest().orElse(null), step));
        state = next;
        timeline.add(step.entry());
      }
    }

    if (convergedAt == 0) admit(late, state);

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
    // stopped at a checkpoint: the episodes from there on, and the state, are the stored ones
    int newCount = convergedAt > 0 ? oldCount : state.episodeCount();
    int lastAffected = convergedAt > 0 ? convergedAt - 1 : Math.max(oldCount, newCount);
    for (int number = firstAffected; number <= lastAffected; number++) affected.add(number);
    affected.remove(0);
    affected.removeIf(number -> number > lastAffected);
    // every item of a replayed episode was written in the replay (it opened there): rewrite those that differ
    Set<Integer> itemsChanged = new HashSet<>();
    for (int number : replayed.keySet()) {
      List<EpisodeItems.Item> now = items.subMap(text(EpisodeItems.first(incidentId, number)),
          text(EpisodeItems.end(incidentId, number))).values().stream().filter(Objects::nonNull).toList();
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
    opened.forEach((number, made) -> {
      if (!made.equals(store.checkpoint(incidentId, number))) store.putCheckpoint(incidentId, number, made);
    });
    for (int number = newCount + 1; number <= oldCount; number++) store.deleteCheckpoint(incidentId, number);
    if (convergedAt > 0) {
      // the checkpoints from the stop on were left as they were: their reach misses the late event
      store.putLateMarks(incidentId, lateMarks(incidentId).with(new LateMarks.Mark(late.orderKey(), Checkpoint.Reach.NONE.with(late))));
    }
    store.putState(counted(convergedAt > 0 ? stored : state, stored, existing, timeline));
  }

  /**
   * {@code result} with counters that take the stored ones and swap the replayed range's stored entries for
   * the new ones: a checkpoint's own counters may predate late events the replay stopped short of.
   */
  private static IncidentState counted(
      IncidentState result, IncidentState stored, List<TimelineEntry> replaced, List<TimelineEntry> replacing) {
    if (stored == null) return result;
    long[] counts = {stored.events(), stored.withoutEffect(), stored.unknown()};
    replaced.forEach(entry -> count(counts, entry, -1));
    replacing.forEach(entry -> count(counts, entry, 1));
    return withCounters(result, counts[0], counts[1], counts[2]);
  }

  private static void count(long[] counts, TimelineEntry entry, int sign) {
    counts[0] += sign;
    if (entry.effect() == Effect.NO_EFFECT) counts[1] += sign;
    if (entry.effect() == Effect.UNKNOWN_TYPE) counts[2] += sign;
  }
}
