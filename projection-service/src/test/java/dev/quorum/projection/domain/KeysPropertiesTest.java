package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.testing.EventArbitraries;
import java.util.Arrays;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class KeysPropertiesTest {

  @Property
  void timeline_keys_of_one_incident_sort_as_bytes_like_their_order_keys(
      @ForAll("orderKeys") OrderKey a, @ForAll("orderKeys") OrderKey b) {
    UUID incident = UUID.randomUUID();
    int byBytes = Integer.signum(Arrays.compareUnsigned(
        new TimelineKey(incident, a).toBytes(), new TimelineKey(incident, b).toBytes()));
    assertThat(byBytes).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property
  void a_timeline_key_lies_within_its_incident_bounds_and_round_trips(@ForAll("orderKeys") OrderKey key) {
    UUID incident = UUID.randomUUID();
    byte[] bytes = new TimelineKey(incident, key).toBytes();
    assertThat(Arrays.compareUnsigned(TimelineKey.first(incident), bytes)).isLessThanOrEqualTo(0);
    assertThat(Arrays.compareUnsigned(bytes, TimelineKey.last(incident))).isLessThanOrEqualTo(0);
    assertThat(TimelineKey.fromBytes(bytes)).isEqualTo(new TimelineKey(incident, key));
  }

  @Property
  void episode_keys_round_trip_as_bytes_and_as_text(@ForAll("numbers") int number) {
    EpisodeKey key = new EpisodeKey(UUID.randomUUID(), number);
    assertThat(EpisodeKey.fromBytes(key.toBytes())).isEqualTo(key);
    assertThat(EpisodeKey.parse(key.toString())).isEqualTo(key);
  }

  @Provide
  Arbitrary<OrderKey> orderKeys() {
    return Combinators.combine(EventArbitraries.instants(), Arbitraries.integers().between(0, 5),
            Arbitraries.longs().between(0, Long.MAX_VALUE), EventArbitraries.uuids())
        .as(OrderKey::new);
  }

  @Provide
  Arbitrary<Integer> numbers() {
    return Arbitraries.integers().between(1, Integer.MAX_VALUE);
  }
}
