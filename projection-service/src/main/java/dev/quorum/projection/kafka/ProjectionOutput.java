package dev.quorum.projection.kafka;

import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Views.StreamView;

/** What the incident processor forwards: the stream's latest view, or an episode's new analytics sample. */
sealed interface ProjectionOutput {

  /** The latest view of an incident stream, for the compacted incidents topic. */
  record Snapshot(StreamView view) implements ProjectionOutput {}

  /** An episode's sample changed; {@code sample} is null when the episode left the analytics (merged, gone). */
  record SampleChange(String episodeKey, EpisodeSample sample) implements ProjectionOutput {}
}
