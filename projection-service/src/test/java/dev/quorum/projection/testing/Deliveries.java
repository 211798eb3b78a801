package dev.quorum.projection.testing;

import dev.quorum.event.Event;
import dev.quorum.event.testing.EventArbitraries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Incident histories as at-least-once delivery hands them over: shuffled, with repeats. */
public final class Deliveries {
  private Deliveries() {}

  /** A history and the order in which it arrived. */
  public record Delivery(List<Event> history, List<Event> arrivals) {}

  public static Arbitrary<Delivery> shuffledWithRepeats() {
    return Combinators.combine(EventArbitraries.histories(), Arbitraries.longs(), Arbitraries.integers().between(0, 20))
        .as((history, seed, repeats) -> {
          Random random = new Random(seed);
          List<Event> arrivals = new ArrayList<>(history);
          for (int i = 0; i < repeats; i++) arrivals.add(history.get(random.nextInt(history.size())));
          Collections.shuffle(arrivals, random);
          return new Delivery(history, arrivals);
        });
  }
}
