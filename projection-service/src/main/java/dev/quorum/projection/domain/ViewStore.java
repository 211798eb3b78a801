package dev.quorum.projection.domain;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.TimelineEntry;
import java.util.List;
import java.util.UUID;

/**
 * Where the {@link Projector} keeps one partition's views: a small state value per incident, one
 * timeline entry per event, one value per episode, and what grows inside an episode as items of their
 * own ({@link EpisodeItems}). Never the whole event list, nor an episode's signal history, role changes,
 * assignees or follow-ups, in one value.
 */
public interface ViewStore extends AsOfViews.Source {

  /** The incident's state as last stored ({@link IncidentState#withoutHistory()}), or null. */
  @Override
  IncidentState state(UUID incidentId);

  void putState(IncidentState state);

  /**
   * Why the store cannot take this state value (a state holds the latest episode, so this bounds episodes
   * and checkpoints too), or null when it can.
   */
  String refusal(IncidentState state);

  /** Every timeline entry of the incident, in fold order. */
  List<TimelineEntry> timeline(UUID incidentId);

  /**
   * The incident's timeline entries from {@code from} (inclusive; null: from the first) on, in fold order,
   * each read when the cursor reaches it: a re-fold stops where the fold is the stored one again, and
   * reads nothing past it. Close the cursor before writing to the timeline.
   */
  @Override
  Cursor timelineFrom(UUID incidentId, OrderKey from);

  /** Timeline entries read one at a time from the store. */
  interface Cursor extends java.util.Iterator<TimelineEntry>, AutoCloseable {
    @Override
    void close();

    /** The entries {@code entries} yields as they are asked for; closing runs {@code close}. */
    static Cursor over(java.util.Iterator<TimelineEntry> entries, Runnable close) {
      return new Cursor() {
        @Override
        public boolean hasNext() {
          return entries.hasNext();
        }

        @Override
        public TimelineEntry next() {
          return entries.next();
        }

        @Override
        public void close() {
          close.run();
        }
      };
    }
  }

  /** Stores the entry in its event's incident's timeline. */
  default void putTimelineEntry(TimelineEntry entry) {
    putTimelineEntry(entry.event().incidentId(), entry);
  }

  /** Stores the entry in this incident's timeline: its own event, or a signal of an incident merged into it. */
  void putTimelineEntry(UUID incidentId, TimelineEntry entry);

  void deleteTimelineEntry(UUID incidentId, OrderKey key);

  /** The order key of the incident's applied copy of this event id, or null: the one test for a repeat. */
  OrderKey appliedKey(UUID incidentId, UUID eventId);

  void putAppliedKey(UUID incidentId, UUID eventId, OrderKey key);

  /** The stored episode, or null. */
  Episode episode(UUID incidentId, int number);

  void putEpisode(UUID incidentId, Episode episode);

  void deleteEpisode(UUID incidentId, int number);

  /** Where a re-fold may start for an event sorting after the opener of this episode, or null. */
  @Override
  Checkpoint checkpoint(UUID incidentId, int number);

  void putCheckpoint(UUID incidentId, int number, Checkpoint checkpoint);

  void deleteCheckpoint(UUID incidentId, int number);

  /** The incident's late marks (ADR 8), or null when it has none. */
  @Override
  LateMarks lateMarks(UUID incidentId);

  void putLateMarks(UUID incidentId, LateMarks marks);

  /**
   * Up to {@code limit} items of the episode in key order (ADR 8): assignees, follow-ups, role changes in
   * fold order, signals.
   */
  List<EpisodeItems.Item> items(UUID incidentId, int episode, int limit);

  /** How many items the episode has, counting up to {@code limit} at most. */
  default int itemCount(UUID incidentId, int episode, int limit) {
    return items(incidentId, episode, limit).size();
  }

  void putItem(EpisodeItems.Item item);

  /**
   * Episode {@code episode} of the incident opens now, applied last: it has no item yet (the items of any
   * earlier episode under that number were deleted with it), so a store that keeps items in memory need not
   * read them back.
   */
  default void opened(UUID incidentId, int episode) {}

  /** The item stored under this key ({@link EpisodeItems.Item#key()}), or null. */
  EpisodeItems.Item item(byte[] key);

  /** Deletes the item stored under {@code item}'s key (an assignee that was unassigned). */
  void deleteItem(EpisodeItems.Item item);

  void deleteItems(UUID incidentId, int episode);

  /** Every source merged into {@code target}, with the signals it took there (ADR 7). */
  List<MergedSignals> mergedSignals(UUID target);

  /** What one merged episode of {@code source} took into {@code target}, or null. */
  MergedSignals mergedSignals(UUID target, UUID source, int sourceEpisode);

  void putMergedSignals(MergedSignals merged);

  void deleteMergedSignals(UUID target, UUID source, int sourceEpisode);
}
