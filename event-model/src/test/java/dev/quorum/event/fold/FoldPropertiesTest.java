package dev.quorum.event.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.testing.EventArbitraries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** The fold's contract as properties: convergence, incremental application and as-of. */
class FoldPropertiesTest {

  @Provide
  Arbitrary<List<Event>> histories() {
    return EventArbitraries.histories();
  }

  @Property(tries = 1000)
  @Label("fold(shuffle(duplicate(E))) equals fold(E)")
  void the_fold_converges_whatever_the_order_and_the_repeats(
      @ForAll("histories") List<Event> events, @ForAll long seed) {
    Random random = new Random(seed);
    List<Event> delivered = new ArrayList<>(events);
    for (Event event : events) {
      int copies = random.nextInt(3);
      for (int i = 0; i < copies; i++) delivered.add(event);
    }
    Collections.shuffle(delivered, random);

    IncidentState expected = Fold.fold(events);
    Statistics.label("episodes").collect(Math.min(expected.episodeCount(), 5));

    assertThat(Fold.fold(delivered)).isEqualTo(expected);
    assertThat(Fold.timeline(delivered)).isEqualTo(Fold.timeline(events));
  }

  @Property(tries = 1000)
  @Label("applying events one by one in record order equals the fold, also from a state without history")
  void incremental_application_equals_the_fold(@ForAll("histories") List<Event> events) {
    List<Event> ordered = new ArrayList<>(events);
    ordered.sort((a, b) -> a.orderKey().compareTo(b.orderKey()));
    IncidentState full = IncidentState.empty(ordered.getFirst().incidentId());
    IncidentState compact = full;
    for (Event event : ordered) {
      assertThat(Fold.sortsLast(full, event)).isTrue();
      IncidentState held = full; // the holder of a compact state keeps the episodes elsewhere
      full = Fold.apply(full, event).state();
      compact = Fold.apply(compact, event, number -> held.episode(number).orElse(null)).state().withoutHistory();
    }
    IncidentState folded = Fold.fold(events);
    assertThat(full).isEqualTo(folded);
    assertThat(compact).isEqualTo(folded.withoutHistory());
  }

  @Property(tries = 1000)
  @Label("as-of equals the fold of the events known at that instant")
  void as_of_equals_the_fold_of_the_prefix(@ForAll("histories") List<Event> events, @ForAll("fractions") double where) {
    List<Event> ordered = new ArrayList<>(events);
    ordered.sort((a, b) -> a.orderKey().compareTo(b.orderKey()));
    Instant first = ordered.getFirst().stored().recordedAt();
    Instant last = ordered.getLast().stored().recordedAt();
    Instant at = first.plusMillis((long) ((last.toEpochMilli() - first.toEpochMilli()) * where));

    List<Event> known = ordered.stream().filter(e -> !e.stored().recordedAt().isAfter(at)).toList();
    if (known.isEmpty()) return;
    assertThat(Fold.foldAsOf(events, at, Axis.RECORDED)).isEqualTo(Fold.fold(known));
  }

  @Provide
  Arbitrary<Double> fractions() {
    return net.jqwik.api.Arbitraries.doubles().between(0, 1);
  }

  @Property(tries = 1000)
  @Label("order keys sort as their bytes do")
  void order_key_bytes_preserve_the_order(@ForAll("histories") List<Event> events) {
    for (int i = 1; i < events.size(); i++) {
      OrderKey a = events.get(i - 1).orderKey();
      OrderKey b = events.get(i).orderKey();
      int byBytes = java.util.Arrays.compareUnsigned(a.toBytes(), b.toBytes());
      assertThat(Integer.signum(byBytes)).isEqualTo(Integer.signum(a.compareTo(b)));
      assertThat(OrderKey.fromBytes(a.toBytes())).isEqualTo(a);
    }
  }

  @Property(tries = 2000)
  @Label("order keys that tie on append time, partition or offset still sort as their bytes do")
  void tied_order_keys_sort_as_their_bytes_do(
      @ForAll("orderKeys") OrderKey a, @ForAll("orderKeys") OrderKey b, @ForAll("orderKeys") OrderKey c) {
    assertThat(Integer.signum(java.util.Arrays.compareUnsigned(a.toBytes(), b.toBytes())))
        .isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
    assertThat(OrderKey.fromBytes(a.toBytes())).isEqualTo(a);
  }

  @Provide
  Arbitrary<OrderKey> orderKeys() {
    return EventArbitraries.orderKeys();
  }
}
