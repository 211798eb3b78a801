package dev.quorum.event.fold;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Ids;
import dev.quorum.event.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * ADR 10: a trigger ingested in region B and the acknowledgement of it ingested in region A, whose broker
 * clock runs behind B's, so that the acknowledgement sorts first.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CausalGuardTest {
  private static final Instant T = Instant.parse("2026-06-15T02:00:00Z");
  private final UUID incident = UUID.randomUUID();
  private final List<Event> events = new ArrayList<>();

  /** An event stored with broker time {@code at}; {@code region} picks its partition, as two clusters' coordinates differ. */
  private Event add(EventData data, Instant at, int region) {
    Event e = new Event(Ids.newEventId(), "test/region-" + region, incident, at, "user:alice", null, data,
        new Stored(at, at.plusMillis(40), region, events.size()));
    events.add(e);
    return e;
  }

  private Episode latest() {
    return Fold.fold(events).latest().orElseThrow();
  }

  @Test
  void an_acknowledgement_that_sorts_before_its_trigger_waits_for_it_and_mtta_is_zero_not_negative() {
    // Given region A's clock 2 s behind B's: the trigger is ingested in B at T, the ack of it in A at T - 1.5 s
    Event ack = add(ack(), T.minusMillis(1_500), 0);
    Event trigger = add(triggered(), T, 1);

    // Then the ack sorts first, is held, and the trigger opens the episode acknowledged
    List<TimelineEntry> timeline = Fold.timeline(events);
    assertThat(timeline).extracting(TimelineEntry::event).containsExactly(ack, trigger);
    assertThat(timeline.getFirst().reason()).startsWith("held");
    assertThat(latest().status()).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(latest().acknowledgedAt()).isEqualTo(trigger.stored().ingestedAt());
    assertThat(latest().timeToAcknowledge()).contains(Duration.ZERO);
    assertThat(Fold.fold(events).heldAcknowledgement()).isNull();
  }

  @Test
  void the_guard_holds_across_other_events_and_for_an_alert_that_opens_the_episode() {
    add(ack(), T.minusSeconds(3), 0);
    add(note("looking"), T.minusSeconds(2), 0);
    add(fired("fp"), T, 1);

    assertThat(latest().status()).isEqualTo(Status.ACKNOWLEDGED);
  }

  @Test
  void an_acknowledgement_of_a_resolved_episode_answers_the_next_trigger_only_within_the_hold() {
    // Given an episode resolved, a re-fire ingested in B, and its ack ingested in A before it
    add(triggered(), T.minusSeconds(600), 1);
    add(resolved(), T.minusSeconds(300), 1);
    add(ack(), T.minusSeconds(1), 0);
    add(triggered(), T, 1);

    assertThat(Fold.fold(events).episodes()).hasSize(2);
    assertThat(latest().status()).isEqualTo(Status.ACKNOWLEDGED);
  }

  @Test
  void a_trigger_later_than_the_hold_does_not_take_an_old_acknowledgement() {
    add(ack(), T.minus(CausalGuard.HOLD).minusMillis(1), 0);
    add(triggered(), T, 1);

    assertThat(latest().status()).isEqualTo(Status.TRIGGERED);
    assertThat(latest().acknowledgedAt()).isNull();
  }

  @Test
  void the_held_acknowledgement_is_part_of_the_state_so_arrival_order_does_not_matter() {
    add(ack(), T.minusMillis(800), 0);
    add(note("paged"), T.minusMillis(400), 1);
    add(triggered(), T, 1);
    add(ack(), T.plusSeconds(1), 1);
    IncidentState expected = Fold.fold(events);

    for (long seed = 0; seed < 20; seed++) {
      List<Event> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(seed));
      shuffled.add(shuffled.getFirst()); // and a repeat
      assertThat(Fold.fold(shuffled)).isEqualTo(expected);
    }
    // incrementally, one event at a time in fold order, as the projection applies them
    IncidentState state = IncidentState.empty(incident);
    for (TimelineEntry entry : Fold.timeline(events)) state = Fold.apply(state, entry.event()).state();
    assertThat(state.latest()).isEqualTo(expected.latest());
    assertThat(expected.latest().orElseThrow().status()).isEqualTo(Status.ACKNOWLEDGED);
  }
}
