package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.Stored;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Episode;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.projection.testing.Deliveries;
import dev.quorum.projection.testing.Deliveries.Delivery;
import dev.quorum.projection.testing.InMemoryViewStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * As-of answers from the checkpoints the {@link Projector} keeps equal {@link Fold#foldAsOf} over the same
 * events, whatever the arrival order, repeats and late events, on both axes, at any instant.
 */
class AsOfViewsPropertiesTest {
  private static final Duration SKEW = Duration.ofSeconds(2);
  private static final Projector.Changes IGNORE = new Projector.Changes() {
    @Override
    public void episodeChanged(UUID incidentId, int number, Episode before, Episode after) {}
  };

  @Property(tries = 300)
  void late_events_give_the_as_of_fold(@ForAll("lateOnes") Delivery delivery, @ForAll long seed) {
    answers_equal_the_as_of_fold(delivery, seed);
  }

  @Property(tries = 300)
  void shuffled_repeated_deliveries_give_the_as_of_fold(@ForAll("shuffled") Delivery delivery, @ForAll long seed) {
    answers_equal_the_as_of_fold(delivery, seed);
  }

  private static void answers_equal_the_as_of_fold(Delivery delivery, long seed) {
    // Given: the history restamped with record and occurrence times that run late, early and out of
    // order (the database may record an event long after the broker appended it), delivered as drawn
    Random random = new Random(seed);
    Map<UUID, Event> restamped = new HashMap<>();
    for (Event event : delivery.history()) restamped.put(event.id(), restamp(event, random));
    List<Event> history = delivery.history().stream().map(e -> restamped.get(e.id())).toList();
    InMemoryViewStore views = new InMemoryViewStore();
    Projector projector = new Projector(views, IGNORE);
    delivery.arrivals().forEach(e -> projector.project(restamped.get(e.id())));
    UUID incident = history.getFirst().incidentId();
    AsOfViews asOf = new AsOfViews(views, SKEW);

    for (Instant instant : instants(history, random)) {
      for (Axis axis : Axis.values()) {
        // When
        Optional<IncidentState> state = asOf.state(incident, instant, axis);
        List<Event> known = Fold.upTo(history, instant, axis);

        // Then: an answer, when the views give one, is the fold's
        Statistics.label("state from the views").collect(state.isPresent());
        if (state.isPresent()) {
          assertThat(known).isNotEmpty();
          assertThat(state.get()).isEqualTo(Fold.fold(known).withoutHistory());
        }
        IncidentState expected = known.isEmpty() ? null : Fold.fold(known);
        List<dev.quorum.event.fold.TimelineEntry> timeline = known.isEmpty() ? List.of() : Fold.timeline(known);
        dev.quorum.event.fold.OrderKey after = random.nextBoolean() || history.isEmpty() ? null
            : history.get(random.nextInt(history.size())).orderKey();
        Integer ofEpisode = random.nextBoolean() ? null : 1 + random.nextInt(Math.max(1, views.wholeState(incident).episodeCount()));
        int limit = 1 + random.nextInt(random.nextBoolean() ? 4 : 100);
        Optional<TimelinePage> page = asOf.timeline(incident, instant, axis, after, ofEpisode, limit);
        Statistics.label("timeline from the views").collect(page.isPresent());
        if (page.isPresent()) {
          assertThat(known).isNotEmpty();
          assertThat(page.get()).isEqualTo(TimelinePage.of(timeline.iterator(), after, ofEpisode, limit));
        }
        int count = views.wholeState(incident).episodeCount();
        for (int number = 1; number <= count; number++) {
          Optional<Episode> episode = asOf.episode(incident, number, instant, axis);
          Statistics.label("episode from the views").collect(episode.isPresent());
          if (episode.isPresent()) {
            assertThat(expected).isNotNull();
            assertThat(Optional.of(episode.get())).isEqualTo(expected.episode(number));
          }
        }
      }
    }
  }

  /** Record times from a little before the append (clock skew) to ten minutes after; occurrence around it. */
  private static Event restamp(Event event, Random random) {
    Stored stored = event.stored();
    long lag = random.nextInt(4) == 0 ? random.nextInt(600_000) : random.nextInt(1_000) - (int) SKEW.toMillis() / 2;
    Instant recorded = stored.ingestedAt().plusMillis(Math.max(lag, -SKEW.toMillis()));
    Instant occurred = event.occurredAt().plusMillis(random.nextInt(240_000) - 120_000);
    return new Event(event.id(), event.source(), event.incidentId(), occurred, event.actor(), event.principal(),
        event.data(), new Stored(stored.ingestedAt(), recorded, stored.partition(), stored.offset()));
  }

  /** Instants on and next to the events' times, and one past all. */
  private static List<Instant> instants(List<Event> history, Random random) {
    List<Instant> instants = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Event event = history.get(random.nextInt(history.size()));
      Instant at = random.nextBoolean() ? event.stored().recordedAt() : event.occurredAt();
      instants.add(at.plusNanos(1_000L * (random.nextInt(3) - 1)));
    }
    instants.add(history.stream().map(e -> e.stored().recordedAt()).max(Instant::compareTo).orElseThrow()
        .plus(Duration.ofDays(1)));
    return instants;
  }

  @Provide
  Arbitrary<Delivery> lateOnes() {
    return Deliveries.inOrderWithLateOnes();
  }

  @Provide
  Arbitrary<Delivery> shuffled() {
    return Deliveries.shuffledWithRepeats();
  }
}
