package dev.quorum.projection.domain;

import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Episode.SignalStatus;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The signals an episode of {@code source} took into {@code target} when it was merged (ADR 7), as the
 * source's fold last saw them, and the target's episode they show on. The target keeps these beside its
 * own fold: they show in its firing signals, its MTTA/MTTR stay its own.
 */
public record MergedSignals(
    UUID target, int targetEpisode, UUID source, int sourceEpisode, Map<String, SignalStatus> signals) {
  public static final int KEY_BYTES = 16 + 16 + 4;

  public MergedSignals {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(source, "source");
    signals = signals == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(signals));
  }

  public boolean firing() {
    return signals.containsValue(SignalStatus.FIRING);
  }

  /** With one signal's status set. */
  public MergedSignals with(String fingerprint, SignalStatus status) {
    TreeMap<String, SignalStatus> now = new TreeMap<>(signals);
    now.put(fingerprint, status);
    return new MergedSignals(target, targetEpisode, source, sourceEpisode, now);
  }

  /** With the statuses of the source's merged episode set over those forwarded one by one. */
  public MergedSignals withAll(Map<String, SignalStatus> statuses) {
    TreeMap<String, SignalStatus> now = new TreeMap<>(signals);
    now.putAll(statuses);
    return new MergedSignals(target, targetEpisode, source, sourceEpisode, now);
  }

  /** Its store key: the target, then the source and its episode, so a target's merged sources sort together. */
  public static byte[] key(UUID target, UUID source, int sourceEpisode) {
    return ByteBuffer.allocate(KEY_BYTES).put(Keys.uuid(target)).put(Keys.uuid(source)).putInt(sourceEpisode).array();
  }

  public static byte[] first(UUID target) {
    return Keys.bound(target, KEY_BYTES - 16, (byte) 0x00);
  }

  public static byte[] last(UUID target) {
    return Keys.bound(target, KEY_BYTES - 16, (byte) 0xff);
  }

  /**
   * The target's episode as it shows: its own signals, and those merged into it (a signal firing on either
   * side fires). The fold's episode is left as it is.
   */
  public static Episode onto(Episode episode, Collection<MergedSignals> merged) {
    if (episode == null) return null;
    TreeMap<String, SignalStatus> signals = new TreeMap<>(episode.signals());
    boolean changed = false;
    for (MergedSignals m : merged) {
      if (m.targetEpisode() != episode.number()) continue;
      for (Map.Entry<String, SignalStatus> s : m.signals().entrySet()) {
        SignalStatus own = signals.get(s.getKey());
        if (own == SignalStatus.FIRING || own == s.getValue()) continue;
        signals.put(s.getKey(), s.getValue());
        changed = true;
      }
    }
    if (!changed) return episode;
    return episode.withSignalsAndRoleHistory(signals, episode.roleHistory());
  }
}
