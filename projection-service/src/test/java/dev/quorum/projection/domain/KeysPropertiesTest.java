package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.OrderKey;
import dev.quorum.event.testing.EventArbitraries;
import java.util.Arrays;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class KeysPropertiesTest {

  @Property
  void timeline_keys_of_one_incident_sort_as_bytes_like_their_order_keys(
      @ForAll("orderKeys") OrderKey a, @ForAll("orderKeys") OrderKey b, @ForAll("ids") UUID incident) {
    int byBytes = Integer.signum(Arrays.compareUnsigned(
        new TimelineKey(incident, a).toBytes(), new TimelineKey(incident, b).toBytes()));
    assertThat(byBytes).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property
  void a_timeline_key_lies_within_its_incident_bounds_and_round_trips(
      @ForAll("orderKeys") OrderKey key, @ForAll("ids") UUID incident) {
    byte[] bytes = new TimelineKey(incident, key).toBytes();
    assertThat(Arrays.compareUnsigned(TimelineKey.first(incident), bytes)).isLessThanOrEqualTo(0);
    assertThat(Arrays.compareUnsigned(bytes, TimelineKey.last(incident))).isLessThanOrEqualTo(0);
    assertThat(TimelineKey.fromBytes(bytes)).isEqualTo(new TimelineKey(incident, key));
  }

  @Property
  void episode_keys_round_trip_as_bytes_and_as_text(@ForAll("numbers") int number, @ForAll("ids") UUID incident) {
    EpisodeKey key = new EpisodeKey(incident, number);
    assertThat(EpisodeKey.fromBytes(key.toBytes())).isEqualTo(key);
    assertThat(EpisodeKey.parse(key.toString())).isEqualTo(key);
  }

  @Provide
  Arbitrary<OrderKey> orderKeys() {
    return EventArbitraries.orderKeys();
  }

  @Provide
  Arbitrary<UUID> ids() {
    return EventArbitraries.uuids();
  }

  @Provide
  Arbitrary<Integer> numbers() {
    return Arbitraries.integers().between(1, Integer.MAX_VALUE);
  }
}
