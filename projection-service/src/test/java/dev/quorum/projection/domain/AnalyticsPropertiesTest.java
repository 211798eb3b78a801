package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.EventArbitraries;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class AnalyticsPropertiesTest {

  @Property
  void subtracting_every_sample_added_leaves_an_empty_bucket(@ForAll("histories") List<dev.quorum.event.Event> history) {
    List<EpisodeSample> samples = Fold.fold(history).episodes().stream()
        .flatMap(e -> EpisodeSample.of(e).stream()).toList();
    Bucket bucket = Bucket.EMPTY;
    for (EpisodeSample sample : samples) bucket = bucket.plus(sample);
    assertThat(bucket.episodes()).isEqualTo(samples.size());
    for (EpisodeSample sample : samples.reversed()) bucket = bucket.minus(sample);
    assertThat(bucket).isEqualTo(Bucket.EMPTY);
  }

  @Property
  void merged_episodes_give_no_sample(@ForAll("histories") List<dev.quorum.event.Event> history) {
    Fold.fold(history).episodes().forEach(episode ->
        assertThat(EpisodeSample.of(episode).isPresent()).isEqualTo(episode.countsForAnalytics()));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<dev.quorum.event.Event>> histories() {
    return EventArbitraries.histories();
  }
}
