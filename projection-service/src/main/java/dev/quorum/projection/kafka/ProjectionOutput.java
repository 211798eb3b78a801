package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.domain.Forwarded;
import dev.quorum.projection.domain.Views.IncidentView;

/** What the incident processor forwards: an episode's new view or analytics sample, a record for a merge target, an event to store. */
sealed interface ProjectionOutput {

  /** An episode's new view for the compacted incidents topic; {@code view} is null when the episode is gone (tombstone). */
  record EpisodeView(IncidentView view) implements ProjectionOutput {}

  /** A record for a merge target's key (ADR 7). */
  record Forward(Forwarded record) implements ProjectionOutput {}

  /** An event the projection asks to store on another stream (ADR 7): goes to the actions topic. */
  record Derived(Event event) implements ProjectionOutput {}

  /** An episode's sample changed; {@code sample} is null when the episode left the analytics (merged, gone). */
  record SampleChange(String episodeKey, EpisodeSample sample) implements ProjectionOutput {}
}
