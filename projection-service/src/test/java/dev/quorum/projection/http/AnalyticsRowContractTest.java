package dev.quorum.projection.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.Contracts;
import dev.quorum.event.testing.EventArbitraries;
import dev.quorum.projection.domain.Analytics;
import dev.quorum.projection.domain.Analytics.Dimension;
import dev.quorum.projection.domain.Bucket;
import dev.quorum.projection.domain.BucketKey;
import dev.quorum.projection.domain.EpisodeSample;
import dev.quorum.projection.kafka.ViewSerdes;
import java.io.IOException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The analytics rows the query API answers conform to analytics-row.json, and a wrong row does not. */
class AnalyticsRowContractTest {
  private static final String SCHEMA = "analytics-row.json";

  @Property(tries = 50)
  void every_row_of_every_roll_up_conforms_to_its_schema(
      @ForAll("histories") List<List<Event>> histories, @ForAll("dimensions") Set<Dimension> by) throws IOException {
    for (Analytics.Row row : Analytics.rollUp(buckets(histories), new Analytics.Selection(null, null, null, null), by)) {
      Contracts.requireValid(SCHEMA, ViewSerdes.JSON.writeValueAsString(QueryApi.AnalyticsRow.of(row)));
    }
  }

  @Example
  void a_wrong_row_fails_its_schema() throws IOException {
    List<List<Event>> histories = List.of(EventArbitraries.histories().filter(h -> Fold.fold(h).episodeCount() > 0).sample());
    Analytics.Row row = Analytics.rollUp(buckets(histories), new Analytics.Selection(null, null, null, null),
        EnumSet.allOf(Dimension.class)).getFirst();
    ObjectNode valid = (ObjectNode) ViewSerdes.JSON.readTree(ViewSerdes.JSON.writeValueAsString(QueryApi.AnalyticsRow.of(row)));
    Contracts.requireValid(SCHEMA, valid.toString());

    List<Consumer<ObjectNode>> wrongs = List.of(
        r -> r.put("severity", "p1"),
        r -> r.put("episodes", -1),
        r -> r.put("day", "15/06/2026"),
        r -> r.put("meanSecondsToResolve", "fast"),
        r -> r.remove("reopens"),
        r -> r.put("mtta", 1.0));
    for (Consumer<ObjectNode> wrong : wrongs) {
      ObjectNode changed = valid.deepCopy();
      wrong.accept(changed);
      assertThat(Contracts.violations(SCHEMA, changed.toString())).as(changed.toString()).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<List<List<Event>>> histories() {
    return EventArbitraries.histories().list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Set<Dimension>> dimensions() {
    return Arbitraries.subsetOf(Dimension.values());
  }

  /** The buckets the analytics store would hold for these incidents. */
  private static List<Map.Entry<BucketKey, Bucket>> buckets(List<List<Event>> histories) {
    Map<BucketKey, Bucket> buckets = new HashMap<>();
    for (List<Event> history : histories) {
      Fold.fold(history).episodes().forEach(episode -> EpisodeSample.of(episode)
          .ifPresent(sample -> buckets.merge(sample.bucket(), Bucket.EMPTY.plus(sample), Bucket::plus)));
    }
    List<Map.Entry<BucketKey, Bucket>> entries = new ArrayList<>();
    buckets.forEach((key, bucket) -> entries.add(new SimpleImmutableEntry<>(key, bucket)));
    return entries;
  }
}
