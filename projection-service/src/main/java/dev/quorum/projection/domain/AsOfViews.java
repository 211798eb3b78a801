package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.Step;
import dev.quorum.event.fold.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * As-of answers from the views' checkpoints (ADR 8): {@link Fold#foldAsOf} over an incident's events known
 * at an instant equals the fold from the checkpoint of an episode whose earlier events were all known then
 * (its {@link Checkpoint.Reach} with the {@link LateMarks} before it), over the known events from its
 * opener on. On the RECORDED axis the replay stops at the first event appended more than {@code skew}
 * after the instant (an event is recorded after it is appended: only clock skew between the broker and
 * the database, bounded by {@code skew}, may reverse the two); on the OCCURRED axis any later event may
 * have occurred before the instant, so it reads the timeline to its end.
 *
 * <p>Empty means "not from the views": no usable checkpoint, or an answer that would need an episode as
 * it stood before the checkpoint; the caller folds the event log. Callers must know the views hold every
 * event that may be known at the instant (see {@code QueryApi}); the events the views hold must be the
 * stored ones (one copy per event id, as the database keeps them).
 */
public final class AsOfViews {

  /** What the as-of answer reads from one partition's views. */
  public interface Source {
    IncidentState state(UUID incidentId);

    Checkpoint checkpoint(UUID incidentId, int number);

    LateMarks lateMarks(UUID incidentId);

    ViewStore.Cursor timelineFrom(UUID incidentId, OrderKey from);
  }

  private final Source views;
  private final Duration skew;

  public AsOfViews(Source views, Duration skew) {
    this.views = Objects.requireNonNull(views, "views");
    this.skew = Objects.requireNonNull(skew, "skew");
  }

  /** The incident's state as of {@code instant} on {@code axis} (its latest episode whole), or empty. */
  public Optional<IncidentState> state(UUID incidentId, Instant instant, Axis axis) {
    IncidentState stored = views.state(incidentId);
    if (stored == null) return Optional.empty();
    LateMarks marks = marks(incidentId);
    if (marks.lacking()) return Optional.empty();
    // a checkpoint's counters are exact while no late event sorts before its opener (ADR 8); one further
    // back than the latest usable checkpoint would replay episodes the answer does not ask about
    int number = latestUsable(incidentId, stored.episodeCount(), instant, axis, marks, true);
    if (number < latestUsable(incidentId, stored.episodeCount(), instant, axis, marks, false) - 1) return Optional.empty();
    for (int tries = 0; number >= 1 && tries < 2; tries++, number--) {
      Checkpoint checkpoint = views.checkpoint(incidentId, number);
      if (!usable(checkpoint, instant, axis, marks, true)) return Optional.empty();
      Replayed replayed = replay(incidentId, checkpoint, instant, axis);
      if (replayed == null) continue; // it needed what the checkpoint's episode stores without: one further back
      IncidentState state = replayed.state;
      if (state.events() == 0) return Optional.empty(); // nothing known then: the log says so
      Episode latest = state.latest().map(e -> replayed.whole.contains(e.number()) ? replayed.episodes.get(e.number()) : null)
          .orElse(null);
      if (state.latest().isPresent() && latest == null) continue; // its episode began before the checkpoint
      return Optional.of(latest == null ? state : state.withEpisodes(java.util.List.of(latest)));
    }
    return Optional.empty();
  }

  /** Episode {@code number} of the incident as of {@code instant} on {@code axis}, or empty. */
  public Optional<Episode> episode(UUID incidentId, int number, Instant instant, Axis axis) {
    IncidentState stored = views.state(incidentId);
    if (stored == null || number < 1 || number > stored.episodeCount()) return Optional.empty();
    LateMarks marks = marks(incidentId);
    if (marks.lacking()) return Optional.empty();
    int start = Math.min(number, latestUsable(incidentId, number, instant, axis, marks, false));
    if (start < 1) return Optional.empty();
    Checkpoint checkpoint = views.checkpoint(incidentId, start);
    if (!usable(checkpoint, instant, axis, marks, false)) return Optional.empty();
    Replayed replayed = replay(incidentId, checkpoint, instant, axis);
    if (replayed == null || !replayed.whole.contains(number)) return Optional.empty();
    return Optional.of(replayed.episodes.get(number));
  }

  /**
   * One page of the incident's timeline as of {@code instant} on {@code axis} (as {@link TimelinePage#of}
   * pages {@link Fold#timeline} of the known events), or empty. Before the opener of the latest usable
   * checkpoint every event was known then, so the stored entries are the answer's; from the opener on,
   * the known events are replayed, and only when the page reaches that far.
   */
  public Optional<TimelinePage> timeline(UUID incidentId, Instant instant, Axis axis, OrderKey after, Integer episode, int limit) {
    IncidentState stored = views.state(incidentId);
    if (stored == null) return Optional.empty();
    LateMarks marks = marks(incidentId);
    if (marks.lacking()) return Optional.empty();
    int number = latestUsable(incidentId, stored.episodeCount(), instant, axis, marks, false);
    if (number < 1) return Optional.empty();
    Checkpoint checkpoint = views.checkpoint(incidentId, number);
    if (!usable(checkpoint, instant, axis, marks, false)) return Optional.empty();
    OrderKey opener = checkpoint.opener();
    if (number == 1 && marks.reach(opener, checkpoint.reach()).equals(Checkpoint.Reach.NONE)) {
      // no event before the first opener: whether any was known then, the replay tells
      Replayed replayed = replay(incidentId, checkpoint, instant, axis);
      if (replayed == null || replayed.entries.isEmpty()) return Optional.empty();
    }
    // the stored entries of an episode begin at its opener: a page of one episode reads from there
    OrderKey from = after;
    if (episode != null && episode >= 1 && episode <= stored.episodeCount()) {
      Checkpoint own = views.checkpoint(incidentId, episode);
      if (own != null && (from == null || own.opener().compareTo(from) > 0)) from = own.opener();
    }
    try (ViewStore.Cursor cursor = views.timelineFrom(incidentId, from == null || from.compareTo(opener) < 0 ? from : opener)) {
      java.util.Iterator<TimelineEntry> entries = new java.util.Iterator<>() {
        private TimelineEntry next;
        private java.util.Iterator<TimelineEntry> replayed; // from the opener on, once reached

        @Override
        public boolean hasNext() {
          while (next == null) {
            if (replayed != null) {
              if (!replayed.hasNext()) return false;
              next = replayed.next();
            } else if (cursor.hasNext()) {
              TimelineEntry entry = cursor.next();
              if (entry.event().orderKey().compareTo(opener) >= 0) {
                startReplay();
              } else if (entry.event().incidentId().equals(incidentId)) {
                next = entry;
              }
            } else {
              startReplay();
            }
          }
          return true;
        }

        private void startReplay() {
          Replayed replay = replay(incidentId, checkpoint, instant, axis);
          if (replay == null) throw new BeforeCheckpoint();
          replayed = replay.entries.iterator();
        }

        @Override
        public TimelineEntry next() {
          if (!hasNext()) throw new java.util.NoSuchElementException();
          TimelineEntry entry = next;
          next = null;
          return entry;
        }
      };
      return Optional.of(TimelinePage.of(entries, after, episode, limit));
    } catch (BeforeCheckpoint e) {
      return Optional.empty();
    }
  }

  private LateMarks marks(UUID incidentId) {
    LateMarks marks = views.lateMarks(incidentId);
    return marks == null ? LateMarks.NONE : marks;
  }

  /**
   * The latest of episodes 1..{@code count} whose checkpoint is usable, or 0: a binary search, as usability
   * holds up to some episode and not after (reaches only grow along the stream); the caller checks the one
   * found again, so a search misled by an uneven reach costs a fall-back, never a wrong answer.
   */
  private int latestUsable(UUID incidentId, int count, Instant instant, Axis axis, LateMarks marks, boolean counted) {
    int low = 1;
    int high = count;
    int found = 0;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (usable(views.checkpoint(incidentId, middle), instant, axis, marks, counted)) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  private static boolean usable(Checkpoint checkpoint, Instant instant, Axis axis, LateMarks marks, boolean counted) {
    if (checkpoint == null || checkpoint.reach() == null) return false;
    if (counted && !marks.marks().isEmpty() && marks.marks().getFirst().key().compareTo(checkpoint.opener()) < 0) {
      return false;
    }
    return marks.reach(checkpoint.opener(), checkpoint.reach()).knownAt(instant, axis);
  }

  /** What a replay from a checkpoint made: the state, every episode it touched, and those it opened. */
  private record Replayed(IncidentState state, Map<Integer, Episode> episodes, Set<Integer> whole, List<TimelineEntry> entries) {}

  /** Thrown when the replay needs an episode as it stood before the checkpoint. */
  private static final class BeforeCheckpoint extends RuntimeException {
    BeforeCheckpoint() {
      super(null, null, false, false);
    }
  }

  /** The fold from {@code checkpoint} over the incident's events known at the instant, or null. */
  private Replayed replay(UUID incidentId, Checkpoint checkpoint, Instant instant, Axis axis) {
    IncidentState state = checkpoint.before();
    Map<Integer, Episode> episodes = new HashMap<>();
    Set<Integer> whole = new HashSet<>();
    Fold.Episodes earlier = n -> {
      if (!whole.contains(n)) throw new BeforeCheckpoint();
      return episodes.get(n);
    };
    Set<UUID> seen = new HashSet<>();
    List<TimelineEntry> entries = new ArrayList<>();
    Instant lastAppend = instant.plus(skew);
    try (ViewStore.Cursor cursor = views.timelineFrom(incidentId, checkpoint.opener())) {
      while (cursor.hasNext()) {
        TimelineEntry entry = cursor.next();
        Event event = entry.event();
        if (axis == Axis.RECORDED && event.stored().ingestedAt().isAfter(lastAppend)) break;
        // signals of incidents merged into this one share its timeline; they are not its events
        if (!event.incidentId().equals(incidentId) || !known(event, instant, axis) || !seen.add(event.id())) continue;
        Step step = Fold.apply(state, event, earlier);
        boolean opens = step.after() != null && step.after().number() > state.episodeCount();
        // the checkpoint's episode is stored without its items (ADR 8): only an opener decides nothing by them
        if (!opens && state.episodeCount() > 0 && !whole.contains(state.episodeCount())) return null;
        if (step.after() != null) {
          int number = step.after().number();
          if (opens) whole.add(number);
          episodes.put(number, step.after());
        }
        state = step.state().withoutHistory();
        entries.add(step.entry());
      }
    } catch (BeforeCheckpoint e) {
      return null;
    }
    return new Replayed(state, episodes, whole, entries);
  }

  private static boolean known(Event event, Instant instant, Axis axis) {
    Instant at = axis == Axis.RECORDED ? event.stored().recordedAt() : event.occurredAt();
    return !at.isAfter(instant);
  }
}
