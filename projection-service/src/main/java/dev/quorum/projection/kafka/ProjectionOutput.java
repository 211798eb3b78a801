package dev.quorum.projection.kafka;

import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Views.IncidentView;

/** What the incident processor forwards: an episode's new view, or an episode's new analytics sample. */
sealed interface ProjectionOutput {

  /** An episode's new view for the compacted incidents topic; {@code view} is null when the episode is gone (tombstone). */
  record EpisodeView(IncidentView view) implements ProjectionOutput {}

  /** An episode's sample changed; {@code sample} is null when the episode left the analytics (merged, gone). */
  record SampleChange(String episodeKey, EpisodeSample sample) implements ProjectionOutput {}
}
