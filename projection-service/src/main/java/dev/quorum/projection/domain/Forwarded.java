package dev.quorum.projection.domain;

import dev.quorum.event.fold.Episode.SignalStatus;
import dev.quorum.event.fold.TimelineEntry;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the projection of a merged stream sends to its merge target's key (ADR 7): in the source's fold
 * order, so the target sees them in that order, and each a repeat-safe overwrite on the target.
 */
public sealed interface Forwarded {
  /** The incident whose key the record goes to. */
  UUID target();

  /**
   * How many times it was passed on: 0 from the source to the incident it was merged into, one more each
   * time a target that is itself merged elsewhere passes it on to its own target (chained merges).
   */
  int hops();

  /**
   * A signal event of the source that belongs to its merged episode (the merge itself, a firing that
   * shows on the target, the resolve of a moved alert), as the source's timeline holds it.
   */
  record Signal(UUID target, TimelineEntry entry, int hops) implements Forwarded {
    public Signal {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(entry, "entry");
    }

    /** From the source itself to the target it was merged into. */
    public Signal(UUID target, TimelineEntry entry) {
      this(target, entry, 0);
    }
  }

  /**
   * The signals of a merged episode of {@code source} as its fold now has them; {@code signals} null
   * withdraws them (a late event undid the merge, or moved it to another target).
   */
  record Moved(UUID target, UUID source, int sourceEpisode, Map<String, SignalStatus> signals, int hops)
      implements Forwarded {
    public Moved {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(source, "source");
      signals = signals == null ? null : Map.copyOf(signals);
    }

    /** From the source itself to the target it was merged into. */
    public Moved(UUID target, UUID source, int sourceEpisode, Map<String, SignalStatus> signals) {
      this(target, source, sourceEpisode, signals, 0);
    }
  }
}
