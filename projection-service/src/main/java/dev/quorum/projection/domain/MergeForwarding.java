package dev.quorum.projection.domain;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.EventData.IncidentMerged;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.Ids;
import dev.quorum.event.fold.Effect;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.Status;
import dev.quorum.event.fold.Step;
import dev.quorum.event.fold.TimelineEntry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Both ends of a merge (ADR 7). On the source: which timeline entries and episode changes go to the
 * target's key. On the target: the forwarded signals kept beside its fold and shown in its timeline and
 * firing signals, and, once the target's episode has ended while they still fire, the events that end
 * them on the source (and carry a firing that came after the end), so that the source's next firing
 * opens a new episode of its own.
 */
final class MergeForwarding {
  /** The {@code source} of the events the projection asks to store. */
  static final String SOURCE = "quorum/projection";
  /** Their actor. */
  static final String ACTOR = "system:projection";
  /** How many merges a source's signals follow onward from the incident it was merged into. */
  static final int MAX_HOPS = 8;

  private final ViewStore store;
  private final Projector.Changes changes;

  MergeForwarding(ViewStore store, Projector.Changes changes) {
    this.store = Objects.requireNonNull(store, "store");
    this.changes = Objects.requireNonNull(changes, "changes");
  }

  /**
   * The target a step's timeline entry goes to: the merge itself, and a signal event ({@code alert.fired},
   * {@code incident.triggered}, {@code alert.resolved}) that lands on the merged episode, given the
   * stream's latest episode before the step. Null when it stays on the source only.
   */
  static UUID target(Episode latestBefore, Step step) {
    EventData data = step.entry().event().data();
    if (data instanceof IncidentMerged) {
      return step.after() != null && step.after().status() == Status.MERGED ? step.after().mergedInto() : null;
    }
    boolean signal = data instanceof AlertFired || data instanceof IncidentTriggered || data instanceof AlertResolved;
    return signal && latestBefore != null && latestBefore.status() == Status.MERGED
        && step.entry().episode() == latestBefore.number() ? latestBefore.mergedInto() : null;
  }

  /** An episode's stored value changed: tells its merge target, and ends what a target's end ends. */
  void changed(UUID incidentId, int number, Episode before, Episode after) {
    changes.episodeChanged(incidentId, number, before, after);
    UUID was = before != null && before.status() == Status.MERGED ? before.mergedInto() : null;
    UUID now = after != null && after.status() == Status.MERGED ? after.mergedInto() : null;
    if (was != null && !was.equals(now)) changes.forward(new Forwarded.Moved(was, incidentId, number, null));
    if (now != null && (!now.equals(was) || !after.signals().equals(before.signals()))) {
      changes.forward(new Forwarded.Moved(now, incidentId, number, after.signals()));
    }
    if (!Objects.equals(was, now)) {
      // chained merges: the signals merged into this episode go along with it
      for (MergedSignals merged : store.mergedSignals(incidentId)) {
        if (merged.targetEpisode() != number) continue;
        if (was != null) passOn(new Forwarded.Moved(was, merged.source(), merged.sourceEpisode(), null, 1));
        if (now != null) passOn(new Forwarded.Moved(now, merged.source(), merged.sourceEpisode(), merged.signals(), 1));
      }
    }
    if (before != null && before.status().isOpen() && ended(after)) {
      for (MergedSignals merged : store.mergedSignals(incidentId)) {
        if (merged.targetEpisode() == number) end(merged, after);
      }
    }
  }

  void receive(Forwarded record) {
    switch (record) {
      case Forwarded.Signal signal -> receive(signal);
      case Forwarded.Moved moved -> receive(moved);
    }
  }

  private void receive(Forwarded.Signal signal) {
    UUID target = signal.target();
    Event event = signal.entry().event();
    UUID source = event.incidentId();
    int sourceEpisode = signal.entry().episode();
    int episode = episodeAt(target, event.orderKey());
    boolean merge = event.data() instanceof IncidentMerged;
    String reason = merge
        ? "incident " + source + " was merged into this one"
        : "a signal of incident " + source + ", merged into this one";
    store.putTimelineEntry(target, new TimelineEntry(event, episode, Effect.APPLIED, reason));
    MergedSignals merged = store.mergedSignals(target, source, sourceEpisode);
    if (merge) {
      if (merged == null || merged.targetEpisode() != episode) {
        Map<String, SignalStatus> signals = merged == null ? Map.of() : merged.signals();
        if (merged != null) republish(target, merged.targetEpisode());
        store.putMergedSignals(new MergedSignals(target, episode, source, sourceEpisode, signals));
        republish(target, episode);
      }
      passOn(signal, store.mergedSignals(target, source, sourceEpisode));
      return;
    }
    if (merged == null) return;
    // a firing of a new alert of the source has no effect there (its alerts are on the target): it fires here
    MergedSignals now = switch (event.data()) {
      case AlertFired a -> merged.with(a.fingerprint(), SignalStatus.FIRING);
      case AlertResolved r -> merged.signals().containsKey(r.fingerprint()) ? merged.with(r.fingerprint(), SignalStatus.RESOLVED) : merged;
      default -> merged;
    };
    if (!now.equals(merged)) {
      store.putMergedSignals(now);
      republish(target, now.targetEpisode());
    }
    passOn(signal, now);
    if (!(event.data() instanceof AlertFired || event.data() instanceof IncidentTriggered)) return;
    Episode onTarget = episode(target, merged.targetEpisode());
    if (ended(onTarget) && !event.stored().ingestedAt().isBefore(endOf(onTarget))) {
      // The target ended before this firing: the alerts it ended end on the source, then the firing
      // comes again after them, where the source's fold opens a new episode with it.
      end(merged, onTarget);
      changes.derive(Event.of(Ids.derived("merge-refire", event.id().toString()), SOURCE, source,
          event.occurredAt(), ACTOR, event.data()));
    }
  }

  private void receive(Forwarded.Moved moved) {
    UUID target = moved.target();
    MergedSignals merged = store.mergedSignals(target, moved.source(), moved.sourceEpisode());
    if (moved.signals() == null) {
      if (merged != null) {
        store.deleteMergedSignals(target, moved.source(), moved.sourceEpisode());
        republish(target, merged.targetEpisode());
        passOn(moved, merged.targetEpisode(), null);
      }
      return;
    }
    MergedSignals now = merged != null ? merged.withAll(moved.signals())
        : new MergedSignals(target, latest(target), moved.source(), moved.sourceEpisode(), moved.signals());
    if (now.equals(merged)) return;
    store.putMergedSignals(now);
    republish(target, now.targetEpisode());
    passOn(moved, now.targetEpisode(), now.signals());
    Episode onTarget = episode(target, now.targetEpisode());
    if (ended(onTarget)) end(now, onTarget);
  }

  /**
   * A signal of {@code merged}'s source reached this target: when the target's episode it shows on is
   * itself merged elsewhere, it goes on there too (chained merges).
   */
  private void passOn(Forwarded.Signal signal, MergedSignals merged) {
    if (merged == null) return;
    UUID next = onward(merged.target(), merged.targetEpisode());
    if (next != null) passOn(new Forwarded.Signal(next, signal.entry(), signal.hops() + 1));
  }

  /**
   * A merged episode's signals (null: withdrawn) reached this target: when the target's episode they show
   * on is itself merged elsewhere, they go on there too (chained merges).
   */
  private void passOn(Forwarded.Moved moved, int targetEpisode, Map<String, SignalStatus> signals) {
    UUID next = onward(moved.target(), targetEpisode);
    if (next != null) passOn(new Forwarded.Moved(next, moved.source(), moved.sourceEpisode(), signals, moved.hops() + 1));
  }

  /**
   * Sends a record on along a chain of merges, after what is queued already; never back to the source's
   * own stream, and no further than {@link #MAX_HOPS} merges (a cycle of merges ends there).
   */
  private void passOn(Forwarded record) {
    UUID source = switch (record) {
      case Forwarded.Signal signal -> signal.entry().event().incidentId();
      case Forwarded.Moved moved -> moved.source();
    };
    if (record.target().equals(source) || record.hops() > MAX_HOPS) return;
    changes.relay(record);
  }

  /** The incident the target's episode is itself merged into, or null. */
  private UUID onward(UUID target, int number) {
    Episode episode = episode(target, number);
    return episode != null && episode.status() == Status.MERGED ? episode.mergedInto() : null;
  }

  /** Asks the source to end every merged alert that still fires, as of the target's end; ids derived, so repeats. */
  private void end(MergedSignals merged, Episode ended) {
    Instant at = endOf(ended);
    merged.signals().forEach((fingerprint, status) -> {
      if (status != SignalStatus.FIRING) return;
      UUID id = Ids.derived("merge-end", merged.target().toString(), Integer.toString(merged.targetEpisode()),
          merged.source().toString(), Integer.toString(merged.sourceEpisode()), fingerprint);
      changes.derive(Event.of(id, SOURCE, merged.source(), at, ACTOR, new AlertResolved(fingerprint)));
    });
  }

  private void republish(UUID target, int number) {
    Episode episode = episode(target, number);
    if (episode != null) changes.episodeChanged(target, number, episode, episode);
  }

  /** The target's stored episode, or null (number 0: the target had none when the source was merged into it). */
  private Episode episode(UUID target, int number) {
    return number < 1 ? null : store.episode(target, number);
  }

  /** The target's episode an event at {@code key} belongs to: the latest one opened before it (0 before any). */
  private int episodeAt(UUID target, OrderKey key) {
    int count = latest(target);
    for (int number = count; number >= 1; number--) {
      Checkpoint checkpoint = store.checkpoint(target, number);
      if (checkpoint == null) return count; // views stored before checkpoints: the latest
      if (checkpoint.opener().compareTo(key) < 0) return number;
    }
    return Math.min(count, 1);
  }

  private int latest(UUID target) {
    IncidentState state = store.state(target);
    return state == null ? 0 : state.episodeCount();
  }

  private static boolean ended(Episode episode) {
    return episode != null && (episode.status() == Status.RESOLVED || episode.status() == Status.CLOSED);
  }

  private static Instant endOf(Episode ended) {
    return ended.resolvedAt() != null ? ended.resolvedAt() : ended.lastChangedAt();
  }
}
