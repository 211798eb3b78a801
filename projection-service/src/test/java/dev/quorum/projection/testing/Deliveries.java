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

  /**
   * Histories delivered in order but for a few events held back and sent last, oldest first: late events
   * that land in earlier episodes while later ones are stored, with repeats.
   */
  public static Arbitrary<Delivery> inOrderWithLateOnes() {
    return Combinators.combine(EventArbitraries.histories(), Arbitraries.longs(), Arbitraries.integers().between(1, 4))
        .as((history, seed, held) -> {
          Random random = new Random(seed);
          List<Event> late = new ArrayList<>();
          for (int i = 0; i < held; i++) late.add(history.get(random.nextInt(history.size())));
          List<Event> arrivals = new ArrayList<>(history);
          arrivals.removeAll(late);
          late.stream().distinct().sorted(java.util.Comparator.comparing(Event::orderKey)).forEach(arrivals::add);
          if (random.nextBoolean()) arrivals.add(history.get(random.nextInt(history.size())));
          return new Delivery(history, arrivals);
        });
  }
}
