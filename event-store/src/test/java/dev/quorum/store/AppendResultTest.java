package dev.quorum.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.store.testing.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AppendResultTest {

  @Test
  void deferred_outcomes_are_worked_out_on_first_use_once_and_then_kept() {
    Event event = TestEvents.note(UUID.randomUUID(), "n");
    Incoming incoming = new Incoming(event, Instant.parse("2026-06-15T02:00:00Z"), 0, 7);
    Outcome inserted = new Outcome.Inserted(incoming, incoming.storedAt(Instant.parse("2026-06-15T02:00:01Z")));
    AtomicInteger calls = new AtomicInteger();

    AppendResult result = AppendResult.deferred(() -> {
      calls.incrementAndGet();
      return List.of(inserted);
    });

    assertThat(calls).as("not at construction").hasValue(0);
    assertThat(result.outcomes()).containsExactly(inserted);
    assertThat(result.inserted()).containsExactly((Outcome.Inserted) inserted);
    assertThat(result.duplicates()).isEmpty();
    assertThat(calls).as("once").hasValue(1);
  }
}
