package dev.quorum.event.fold;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.EventData.FollowupCompleted;
import dev.quorum.event.EventData.FollowupCreated;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.IncidentClosed;
import dev.quorum.event.EventData.IncidentEscalated;
import dev.quorum.event.EventData.IncidentMerged;
import dev.quorum.event.EventData.IncidentMitigated;
import dev.quorum.event.EventData.IncidentReopened;
import dev.quorum.event.EventData.IncidentResolved;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.EventData.IncidentUnacknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.EventData.ResponderAssigned;
import dev.quorum.event.EventData.ResponderUnassigned;
import dev.quorum.event.EventData.RoleAssigned;
import dev.quorum.event.EventData.SeverityChanged;
import dev.quorum.event.EventData.Unknown;
import dev.quorum.event.Role;
import dev.quorum.event.fold.Episode.Followup;
import dev.quorum.event.fold.Episode.ResolvedBy;
import dev.quorum.event.fold.Episode.RoleChange;
import dev.quorum.event.fold.Episode.SignalStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The one fold of the product (DESIGN §4-5): pure and convergent. Events are ordered by their
 * {@link OrderKey}, repeated ids are ignored, and the lifecycle rules are applied one event at a time.
 * The Kafka Streams processor, the as-of query, the rebuild and the tests all use it.
 */
public final class Fold {
  private Fold() {}

  /** The state of one incident stream from a set of its stored events, in any order, with repeats. */
  public static IncidentState fold(Collection<Event> events) {
    return replay(events).state();
  }

  /** The state as it stood at {@code instant} on the given axis. */
  public static IncidentState foldAsOf(Collection<Event> events, Instant instant, Axis axis) {
    return fold(upTo(events, instant, axis));
  }

  /** Every event of the stream once, in fold order, with its effect. */
  public static List<TimelineEntry> timeline(Collection<Event> events) {
    return replay(events).timeline();
  }

  /** The events known at {@code instant} on the given axis. */
  public static List<Event> upTo(Collection<Event> events, Instant instant, Axis axis) {
    Objects.requireNonNull(instant, "instant");
    List<Event> known = new ArrayList<>();
    for (Event event : events) {
      Instant at = switch (axis) {
        case OCCURRED -> event.occurredAt();
        case RECORDED -> stored(event).stored().recordedAt();
      };
      if (!at.isAfter(instant)) known.add(event);
    }
    return known;
  }

  /** Both results of one pass over the events. */
  public record Replay(IncidentState state, List<TimelineEntry> timeline) {}

  public static Replay replay(Collection<Event> events) {
    List<Event> ordered = new ArrayList<>(events.size());
    UUID incidentId = null;
    for (Event event : events) {
      stored(event);
      if (incidentId == null) incidentId = event.incidentId();
      if (!incidentId.equals(event.incidentId())) {
        throw new IllegalArgumentException(
            "events of two incidents in one fold: " + incidentId + " and " + event.incidentId());
      }
      ordered.add(event);
    }
    if (incidentId == null) throw new IllegalArgumentException("a fold needs at least one event");
    ordered.sort((a, b) -> a.orderKey().compareTo(b.orderKey()));
    return replayOrdered(IncidentState.empty(incidentId), new ArrayList<>(), ordered);
  }

  /**
   * Goes on from {@code start} (a state without history, or empty) over {@code ordered} (fold order, each
   * sorting after {@code start}), with {@code episodes} holding every episode of {@code start} by number
   * (index 0 is episode 1); the list is updated in place. One step costs what its event's episode costs,
   * never the stream's whole history.
   */
  public static Replay replayOrdered(IncidentState start, List<Episode> episodes, List<Event> ordered) {
    Set<UUID> seen = new HashSet<>();
    IncidentState state = start.withoutHistory();
    List<TimelineEntry> timeline = new ArrayList<>(ordered.size());
    Episodes lookup = number -> number >= 1 && number <= episodes.size() ? episodes.get(number - 1) : null;
    for (Event event : ordered) {
      if (!seen.add(event.id())) continue; // the first stored copy stands
      Step step = apply(state, event, lookup);
      if (step.after() != null) {
        int number = step.after().number();
        if (number <= episodes.size()) episodes.set(number - 1, step.after());
        else episodes.add(step.after());
      }
      state = step.state().withoutHistory();
      timeline.add(step.entry());
    }
    IncidentState full = new IncidentState(state.incidentId(), episodes, state.last(), state.events(),
        state.withoutEffect(), state.unknown(), state.openFollowups(), state.heldAcknowledgement());
    return new Replay(full, timeline);
  }

  /** Where {@link #apply(IncidentState, Event, Episodes)} finds an episode the state does not hold. */
  @FunctionalInterface
  public interface Episodes {
    /** The episode with this number as it stands, or null if there is none. */
    Episode episode(int number);
  }

  /** True if {@code event} sorts after everything the state has applied, so {@link #apply} may take it. */
  public static boolean sortsLast(IncidentState state, Event event) {
    return state.last() == null || stored(event).orderKey().compareTo(state.last()) > 0;
  }

  /**
   * Applies one stored event that sorts after every event already applied (check with
   * {@link #sortsLast}; otherwise re-fold from the timeline), to a state holding every episode the
   * event may need.
   */
  public static Step apply(IncidentState state, Event event) {
    return apply(state, event, number -> state.episode(number).orElse(null));
  }

  /**
   * Applies one stored event that sorts after every event already applied. {@code earlier} supplies an
   * episode the state does not hold (a state without history), which only the completion of an earlier
   * episode's follow-up needs. Applying it is what the fold does.
   */
  public static Step apply(IncidentState state, Event event, Episodes earlier) {
    stored(event);
    if (!state.incidentId().equals(event.incidentId())) {
      throw new IllegalArgumentException("event " + event.id() + " belongs to " + event.incidentId());
    }
    if (!sortsLast(state, event)) {
      throw new IllegalArgumentException("event " + event.id() + " does not sort after " + state.last());
    }
    Episode latest = state.latest().orElse(null);
    Outcome outcome = decide(state, latest, event, earlier);
    List<Episode> episodes = state.episodes();
    int episodeNumber = latest == null ? 0 : latest.number();
    Episode before = null;
    if (outcome.episode != null) {
      episodeNumber = outcome.episode.number();
      before = outcome.before != null ? outcome.before
          : latest != null && episodeNumber == latest.number() ? latest : null;
      episodes = replaced(episodes, outcome.episode);
    }
    IncidentState next = new IncidentState(
        state.incidentId(),
        episodes,
        event.orderKey(),
        state.events() + 1,
        state.withoutEffect() + (outcome.effect == Effect.NO_EFFECT ? 1 : 0),
        state.unknown() + (outcome.effect == Effect.UNKNOWN_TYPE ? 1 : 0),
        outcome.openFollowups != null ? outcome.openFollowups : state.openFollowups(),
        held(state, latest, event, outcome));
    return new Step(next, new TimelineEntry(event, episodeNumber, outcome.effect, outcome.reason), before, outcome.episode);
  }

  /**
   * The acknowledgement held after {@code event} (ADR 10): this one when it found no open episode; none
   * once an episode opens (it took the held one, or came too late for it); else the one held before.
   */
  private static Instant held(IncidentState state, Episode latest, Event event, Outcome outcome) {
    if (event.data() instanceof IncidentAcknowledged && CausalGuard.holds(latest == null ? null : latest.status())) {
      return event.stored().ingestedAt();
    }
    boolean opened = outcome.episode != null && (latest == null || outcome.episode.number() > latest.number());
    return opened ? null : state.heldAcknowledgement();
  }

  /** The list with {@code changed} in its place: replacing the episode of that number, or appended after the last. */
  private static List<Episode> replaced(List<Episode> episodes, Episode changed) {
    for (int i = episodes.size() - 1; i >= 0; i--) {
      if (episodes.get(i).number() == changed.number()) {
        List<Episode> copy = new ArrayList<>(episodes);
        copy.set(i, changed);
        return copy;
      }
    }
    if (!episodes.isEmpty() && changed.number() < episodes.getLast().number()) return episodes; // not held here
    List<Episode> copy = new ArrayList<>(episodes);
    copy.add(changed);
    return copy;
  }

  /**
   * What an event does: its effect, the episode it changes (null if none), that episode before when it
   * is an earlier one, the reason when it had no effect, and the new follow-up index when it changed.
   */
  private record Outcome(Effect effect, Episode episode, Episode before, String reason, Map<String, Integer> openFollowups) {
    static Outcome applied(Episode episode) {
      return new Outcome(Effect.APPLIED, episode, null, null, null);
    }

    static Outcome none(String reason) {
      return new Outcome(Effect.NO_EFFECT, null, null, reason, null);
    }
  }

  private static Outcome decide(IncidentState state, Episode latest, Event event, Episodes earlier) {
    Instant at = event.stored().ingestedAt();
    Status status = latest == null ? null : latest.status();
    boolean open = status != null && status.isOpen();
    String type = event.type();
    String notOpen = type + " needs an open incident; " + describe(latest);

    return switch (event.data()) {
      case IncidentTriggered t -> {
        if (open) yield Outcome.none("already " + describe(latest));
        if (movedSignalFires(latest)) yield Outcome.none(showsOnTarget(latest, "the trigger"));
        Draft d = Draft.newEpisode(latest, at, state.heldAcknowledgement());
        d.title = t.title();
        d.service = t.service();
        d.severity = t.severity();
        yield Outcome.applied(d.build(at));
      }
      case AlertFired a -> {
        if (movedSignalFires(latest)) yield Outcome.none(showsOnTarget(latest, "the signal"));
        if (!open) {
          Draft d = Draft.newEpisode(latest, at, state.heldAcknowledgement());
          d.title = a.title();
          d.service = a.service();
          d.severity = a.severity();
          d.signals.put(a.fingerprint(), SignalStatus.FIRING);
          yield Outcome.applied(d.build(at));
        }
        if (latest.signals().get(a.fingerprint()) == SignalStatus.FIRING) {
          yield Outcome.none("signal " + a.fingerprint() + " is already firing");
        }
        Draft d = Draft.of(latest);
        d.signals.put(a.fingerprint(), SignalStatus.FIRING);
        if (d.service == null) d.service = a.service();
        if (d.severity == null) d.severity = a.severity();
        yield Outcome.applied(d.build(at));
      }
      case AlertResolved r -> {
        if (status == Status.MERGED && latest.signals().get(r.fingerprint()) == SignalStatus.FIRING) {
          // the alert moved to the target with the merge; its end is kept here, where the source sends it
          Draft d = Draft.of(latest);
          d.signals.put(r.fingerprint(), SignalStatus.RESOLVED);
          yield Outcome.applied(d.build(at));
        }
        if (!open) yield Outcome.none(notOpen);
        if (latest.signals().get(r.fingerprint()) != SignalStatus.FIRING) {
          yield Outcome.none("signal " + r.fingerprint() + " is not firing on this incident");
        }
        Draft d = Draft.of(latest);
        d.signals.put(r.fingerprint(), SignalStatus.RESOLVED);
        if (!d.signals.containsValue(SignalStatus.FIRING)) {
          d.status = Status.RESOLVED;
          d.resolvedAt = at;
          d.resolvedBy = ResolvedBy.SOURCE;
        }
        yield Outcome.applied(d.build(at));
      }
      case IncidentAcknowledged ignored -> {
        if (CausalGuard.holds(status)) yield Outcome.none(CausalGuard.heldReason(describe(latest)));
        if (status != Status.TRIGGERED) yield Outcome.none("acknowledge needs a triggered incident; " + describe(latest));
        Draft d = Draft.of(latest);
        d.status = Status.ACKNOWLEDGED;
        if (d.acknowledgedAt == null) d.acknowledgedAt = at; // MTTA counts the first ack
        yield Outcome.applied(d.build(at));
      }
      case IncidentUnacknowledged ignored -> {
        if (status != Status.ACKNOWLEDGED) yield Outcome.none("unacknowledge needs an acknowledged incident; " + describe(latest));
        Draft d = Draft.of(latest);
        d.status = Status.TRIGGERED;
        yield Outcome.applied(d.build(at));
      }
      case IncidentMitigated ignored -> {
        if (status != Status.TRIGGERED && status != Status.ACKNOWLEDGED) {
          yield Outcome.none("mitigate needs a triggered or acknowledged incident; " + describe(latest));
        }
        Draft d = Draft.of(latest);
        d.status = Status.MITIGATED;
        yield Outcome.applied(d.build(at));
      }
      case IncidentResolved ignored -> {
        if (!open) yield Outcome.none(notOpen);
        Draft d = Draft.of(latest);
        d.status = Status.RESOLVED;
        d.resolvedAt = at;
        d.resolvedBy = ResolvedBy.RESPONDER;
        yield Outcome.applied(d.build(at));
      }
      case IncidentReopened ignored -> {
        if (status != Status.RESOLVED) yield Outcome.none("reopen needs a resolved incident; " + describe(latest));
        Draft d = Draft.of(latest);
        d.status = Status.TRIGGERED;
        d.resolvedAt = null; // MTTR waits for the final resolve; acknowledgedAt stays
        d.resolvedBy = null;
        d.reopens++;
        yield Outcome.applied(d.build(at));
      }
      case IncidentClosed ignored -> {
        if (status != Status.RESOLVED) yield Outcome.none("close needs a resolved incident; " + describe(latest));
        Draft d = Draft.of(latest);
        d.status = Status.CLOSED;
        d.closedAt = at;
        yield Outcome.applied(d.build(at));
      }
      case IncidentMerged m -> {
        if (!open) yield Outcome.none(notOpen);
        if (m.into().equals(event.incidentId())) yield Outcome.none("an incident cannot be merged into itself");
        Draft d = Draft.of(latest);
        d.status = Status.MERGED;
        d.mergedInto = m.into();
        yield Outcome.applied(d.build(at));
      }
      case IncidentEscalated e -> {
        if (!open) yield Outcome.none(notOpen);
        Draft d = Draft.of(latest);
        d.escalations++;
        d.escalationLevel = e.level();
        yield Outcome.applied(d.build(at));
      }
      case ResponderAssigned a -> {
        if (!open) yield Outcome.none(notOpen);
        if (latest.assignees().contains(a.responder())) yield Outcome.none(a.responder() + " is already assigned");
        Draft d = Draft.of(latest);
        d.assignees.add(a.responder());
        yield Outcome.applied(d.build(at));
      }
      case ResponderUnassigned u -> {
        if (!open) yield Outcome.none(notOpen);
        if (!latest.assignees().contains(u.responder())) yield Outcome.none(u.responder() + " is not assigned");
        Draft d = Draft.of(latest);
        d.assignees.remove(u.responder());
        yield Outcome.applied(d.build(at));
      }
      case RoleAssigned r -> {
        if (!open) yield Outcome.none(notOpen);
        if (r.responder().equals(latest.roles().get(r.role()))) {
          yield Outcome.none(r.responder() + " already holds " + r.role().wire());
        }
        Draft d = Draft.of(latest);
        d.roles.put(r.role(), r.responder());
        d.roleHistory.add(new RoleChange(r.role(), r.responder(), event.actor(), at));
        yield Outcome.applied(d.build(at));
      }
      case SeverityChanged s -> {
        if (!open) yield Outcome.none(notOpen);
        if (s.severity() == latest.severity()) yield Outcome.none("severity is already " + s.severity().wire());
        Draft d = Draft.of(latest);
        d.severity = s.severity();
        yield Outcome.applied(d.build(at));
      }
      case NoteAdded ignored -> new Outcome(Effect.APPLIED, null, null, null, null); // timeline only
      case FollowupCreated f -> {
        if (latest == null) yield Outcome.none("no incident to attach a follow-up to yet");
        if (latest.followups().containsKey(f.followupId())) yield Outcome.none("follow-up " + f.followupId() + " exists");
        Integer openOn = state.openFollowups().get(f.followupId());
        if (openOn != null) yield Outcome.none("follow-up " + f.followupId() + " is still open on episode " + openOn);
        Draft d = Draft.of(latest);
        d.followups.put(f.followupId(), new Followup(f.followupId(), f.title(), f.owner(), false));
        TreeMap<String, Integer> openNow = new TreeMap<>(state.openFollowups());
        openNow.put(f.followupId(), latest.number());
        yield new Outcome(Effect.APPLIED, d.build(at), null, null, openNow);
      }
      case FollowupCompleted f -> {
        // a post-incident follow-up belongs to its episode, whichever episode is the latest now
        Integer number = state.openFollowups().get(f.followupId());
        if (number == null) {
          Followup done = latest == null ? null : latest.followups().get(f.followupId());
          yield Outcome.none(done != null && done.completed()
              ? "follow-up " + f.followupId() + " is already completed" : "no follow-up " + f.followupId());
        }
        boolean ofLatest = latest != null && number == latest.number();
        Episode owner = ofLatest ? latest : earlier.episode(number);
        if (owner == null) {
          throw new IllegalStateException("follow-up " + f.followupId() + " is open on episode " + number
              + " of " + event.incidentId() + ", which was not handed to the fold");
        }
        Followup existing = owner.followups().get(f.followupId());
        Draft d = Draft.of(owner);
        d.followups.put(f.followupId(), new Followup(existing.id(), existing.title(), existing.owner(), true));
        TreeMap<String, Integer> openNow = new TreeMap<>(state.openFollowups());
        openNow.remove(f.followupId());
        yield new Outcome(Effect.APPLIED, d.build(at), ofLatest ? null : owner, null, openNow);
      }
      case Unknown u -> new Outcome(Effect.UNKNOWN_TYPE, null, null, "type " + u.type() + " is not known to this version", null);
    };
  }

  /**
   * True while an alert that moved to the merge target with the stream's latest episode still fires: the
   * source's firings then belong to that alert, on the target. Once the source has resolved every moved
   * alert, its next firing opens a new episode here, as a dedup key does after its alert resolved.
   */
  private static boolean movedSignalFires(Episode latest) {
    return latest != null && latest.status() == Status.MERGED && latest.signals().containsValue(SignalStatus.FIRING);
  }

  private static String showsOnTarget(Episode latest, String what) {
    return "merged into " + latest.mergedInto() + " while its alerts fire: " + what + " shows on the target";
  }

  private static String describe(Episode latest) {
    if (latest == null) return "there is no incident yet";
    return "episode " + latest.number() + " is " + latest.status().name().toLowerCase(java.util.Locale.ROOT)
        + (latest.status() == Status.MERGED ? " into " + latest.mergedInto() : "");
  }

  private static Event stored(Event event) {
    if (!event.isStored()) {
      throw new IllegalArgumentException("the fold takes stored events only; " + event.id() + " is not stored");
    }
    return event;
  }

  /** A mutable copy of an episode while one event is applied. */
  private static final class Draft {
    int number;
    Status status;
    Instant triggeredAt;
    Instant acknowledgedAt;
    Instant resolvedAt;
    ResolvedBy resolvedBy;
    Instant closedAt;
    String title;
    String service;
    dev.quorum.event.Severity severity;
    UUID mergedInto;
    final TreeSet<String> assignees = new TreeSet<>();
    final EnumMap<Role, String> roles = new EnumMap<>(Role.class);
    final List<RoleChange> roleHistory = new ArrayList<>();
    final TreeMap<String, SignalStatus> signals = new TreeMap<>();
    final TreeMap<String, Followup> followups = new TreeMap<>();
    int escalations;
    int escalationLevel;
    int reopens;

    static Draft newEpisode(Episode previous, Instant at, Instant heldAcknowledgement) {
      Draft d = new Draft();
      d.number = previous == null ? 1 : previous.number() + 1;
      d.status = Status.TRIGGERED;
      d.triggeredAt = at;
      if (CausalGuard.answered(heldAcknowledgement, at)) {
        // the acknowledgement sorted first only because its cluster's clock ran behind (ADR 10)
        d.status = Status.ACKNOWLEDGED;
        d.acknowledgedAt = at;
      }
      return d;
    }

    static Draft of(Episode e) {
      Draft d = new Draft();
      d.number = e.number();
      d.status = e.status();
      d.triggeredAt = e.triggeredAt();
      d.acknowledgedAt = e.acknowledgedAt();
      d.resolvedAt = e.resolvedAt();
      d.resolvedBy = e.resolvedBy();
      d.closedAt = e.closedAt();
      d.title = e.title();
      d.service = e.service();
      d.severity = e.severity();
      d.mergedInto = e.mergedInto();
      d.assignees.addAll(e.assignees());
      d.roles.putAll(e.roles());
      d.roleHistory.addAll(e.roleHistory());
      d.signals.putAll(e.signals());
      d.followups.putAll(e.followups());
      d.escalations = e.escalations();
      d.escalationLevel = e.escalationLevel();
      d.reopens = e.reopens();
      return d;
    }

    Episode build(Instant changedAt) {
      return new Episode(
          number, status, triggeredAt, acknowledgedAt, resolvedAt, resolvedBy, closedAt, changedAt,
          title, service, severity, mergedInto,
          new TreeSet<>(assignees), new EnumMap<>(roles), roleHistory, new TreeMap<>(signals),
          new TreeMap<>(followups), escalations, escalationLevel, reopens);
    }
  }
}
