package dev.quorum.projection.testing;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.fold.TimelineEntry;
import dev.quorum.projection.domain.Checkpoint;
import dev.quorum.projection.domain.LateMarks;
import dev.quorum.projection.domain.EpisodeItems;
import dev.quorum.projection.domain.MergedSignals;
import dev.quorum.projection.domain.ViewStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The projector's views in sorted maps, for tests of the pure projection logic. */
public final class InMemoryViewStore implements ViewStore {
  private final Map<UUID, IncidentState> states = new TreeMap<>();
  private final Map<UUID, TreeMap<OrderKey, TimelineEntry>> timelines = new TreeMap<>();
  private final Map<UUID, TreeMap<Integer, Episode>> episodes = new TreeMap<>();
  private final Map<UUID, Map<UUID, OrderKey>> applied = new TreeMap<>();
  private final Map<UUID, TreeMap<Integer, Checkpoint>> checkpoints = new TreeMap<>();
  private final Map<UUID, byte[]> lateMarks = new TreeMap<>(); // encoded, as the Kafka store keeps them
  private final Map<UUID, TreeMap<String, MergedSignals>> merged = new TreeMap<>();
  private final TreeMap<String, EpisodeItems.Item> items = new TreeMap<>(); // by key bytes, unsigned order
  private long entriesRead;
  private long checkpointsRead;
  private int maxEpisodeSignals = Integer.MAX_VALUE;
  private int maxEpisodeItems = Integer.MAX_VALUE;

  /** Refuses states whose latest episode holds more than this many signals: a stand-in for the byte limit. */
  public InMemoryViewStore limitSignals(int max) {
    this.maxEpisodeSignals = max;
    return this;
  }

  /**
   * Refuses states whose latest episode holds more than this many signals, role changes, assignees and
   * follow-ups together: a stand-in for the byte limit.
   */
  public InMemoryViewStore limitItems(int max) {
    this.maxEpisodeItems = max;
    return this;
  }

  @Override
  public String refusal(IncidentState state) {
    int signals = state.latest().map(e -> e.signals().size()).orElse(0);
    if (signals > maxEpisodeSignals) return "more than " + maxEpisodeSignals + " signals";
    int items = state.latest()
        .map(e -> e.signals().size() + e.roleHistory().size() + e.assignees().size() + e.followups().size()).orElse(0);
    return items <= maxEpisodeItems ? null : "more than " + maxEpisodeItems + " items";
  }

  @Override
  public IncidentState state(UUID incidentId) {
    return states.get(incidentId);
  }

  @Override
  public void putState(IncidentState state) {
    states.put(state.incidentId(), state);
  }

  @Override
  public List<TimelineEntry> timeline(UUID incidentId) {
    List<TimelineEntry> entries = new ArrayList<>(timelines.getOrDefault(incidentId, new TreeMap<>()).values());
    entriesRead += entries.size();
    return entries;
  }

  @Override
  public Cursor timelineFrom(UUID incidentId, OrderKey from) {
    TreeMap<OrderKey, TimelineEntry> all = timelines.getOrDefault(incidentId, new TreeMap<>());
    return Cursor.over((from == null ? all : all.tailMap(from, true)).values().stream()
        .peek(entry -> entriesRead++).iterator(), () -> {});
  }


  /** How many checkpoints the projector has read so far: what finding where a re-fold starts costs. */
  public long checkpointsRead() {
    return checkpointsRead;
  }

  /** How many timeline entries the projector has read so far: what a re-fold costs. */
  public long entriesRead() {
    return entriesRead;
  }

  @Override
  public void putTimelineEntry(UUID incidentId, TimelineEntry entry) {
    timelines.computeIfAbsent(incidentId, id -> new TreeMap<>()).put(entry.event().orderKey(), entry);
  }

  @Override
  public void deleteTimelineEntry(UUID incidentId, OrderKey key) {
    timelines.getOrDefault(incidentId, new TreeMap<>()).remove(key);
  }

  @Override
  public OrderKey appliedKey(UUID incidentId, UUID eventId) {
    return applied.getOrDefault(incidentId, Map.of()).get(eventId);
  }

  @Override
  public void putAppliedKey(UUID incidentId, UUID eventId, OrderKey key) {
    applied.computeIfAbsent(incidentId, id -> new TreeMap<>()).put(eventId, key);
  }

  @Override
  public Episode episode(UUID incidentId, int number) {
    return episodes.getOrDefault(incidentId, new TreeMap<>()).get(number);
  }

  @Override
  public void putEpisode(UUID incidentId, Episode episode) {
    episodes.computeIfAbsent(incidentId, id -> new TreeMap<>()).put(episode.number(), episode);
  }

  @Override
  public void deleteEpisode(UUID incidentId, int number) {
    episodes.getOrDefault(incidentId, new TreeMap<>()).remove(number);
  }

  @Override
  public Checkpoint checkpoint(UUID incidentId, int number) {
    checkpointsRead++;
    return checkpoints.getOrDefault(incidentId, new TreeMap<>()).get(number);
  }

  @Override
  public void putCheckpoint(UUID incidentId, int number, Checkpoint checkpoint) {
    checkpoints.computeIfAbsent(incidentId, id -> new TreeMap<>()).put(number, checkpoint);
  }

  @Override
  public void deleteCheckpoint(UUID incidentId, int number) {
    checkpoints.getOrDefault(incidentId, new TreeMap<>()).remove(number);
  }

  @Override
  public LateMarks lateMarks(UUID incidentId) {
    byte[] marks = lateMarks.get(incidentId);
    return marks == null ? null : LateMarks.decode(marks);
  }

  @Override
  public void putLateMarks(UUID incidentId, LateMarks marks) {
    lateMarks.put(incidentId, marks.encode());
  }

  @Override
  public List<MergedSignals> mergedSignals(UUID target) {
    return new ArrayList<>(merged.getOrDefault(target, new TreeMap<>()).values());
  }

  @Override
  public MergedSignals mergedSignals(UUID target, UUID source, int sourceEpisode) {
    return merged.getOrDefault(target, new TreeMap<>()).get(source + "/" + sourceEpisode);
  }

  @Override
  public void putMergedSignals(MergedSignals signals) {
    merged.computeIfAbsent(signals.target(), id -> new TreeMap<>())
        .put(signals.source() + "/" + signals.sourceEpisode(), signals);
  }

  @Override
  public void deleteMergedSignals(UUID target, UUID source, int sourceEpisode) {
    merged.getOrDefault(target, new TreeMap<>()).remove(source + "/" + sourceEpisode);
  }

  @Override
  public List<EpisodeItems.Item> items(UUID incidentId, int episode, int limit) {
    String from = text(EpisodeItems.first(incidentId, episode));
    String to = text(EpisodeItems.end(incidentId, episode));
    return items.subMap(from, true, to, true).values().stream().limit(limit).toList();
  }

  @Override
  public void putItem(EpisodeItems.Item item) {
    items.put(text(item.key()), item);
  }

  @Override
  public EpisodeItems.Item item(byte[] key) {
    return items.get(text(key));
  }

  @Override
  public void deleteItem(EpisodeItems.Item item) {
    items.remove(text(item.key()));
  }

  @Override
  public void deleteItems(UUID incidentId, int episode) {
    items.subMap(text(EpisodeItems.first(incidentId, episode)), true, text(EpisodeItems.end(incidentId, episode)), true).clear();
  }

  /** Bytes as chars 0-255: string order is then the bytes' unsigned order. */
  private static String text(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Every episode as the fold made it: the stored values with their items put back. */
  public List<Episode> episodes(UUID incidentId) {
    return episodes.getOrDefault(incidentId, new TreeMap<>()).values().stream()
        .map(e -> EpisodeItems.assemble(e, items(incidentId, e.number(), Integer.MAX_VALUE))).toList();
  }

  /** The state as the fold made it: the stored value with its latest episode's items put back. */
  public IncidentState wholeState(UUID incidentId) {
    IncidentState stored = state(incidentId);
    if (stored == null || stored.latest().isEmpty()) return stored;
    Episode latest = stored.latest().get();
    return stored.withEpisodes(List.of(EpisodeItems.assemble(latest, items(incidentId, latest.number(), Integer.MAX_VALUE))));
  }
}
