package dev.quorum.writer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.store.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BatchBuilderTest {
  private static final AtomicLong OFFSET = new AtomicLong();

  @Test
  void an_event_of_a_new_incident_counts_two_rows_and_one_of_a_known_incident_one() {
    BatchBuilder builder = new BatchBuilder(new BatchLimits(3_000, 1 << 20, Duration.ofSeconds(1)));
    UUID incident = UUID.randomUUID();

    builder.offer(valid(TestEvents.note(incident, "a")), 0);
    builder.offer(valid(TestEvents.note(incident, "b")), 0);
    builder.offer(valid(TestEvents.note(UUID.randomUUID(), "c")), 0);

    assertThat(builder.rows()).isEqualTo(5);
  }

  @Test
  void the_row_bound_is_never_exceeded_when_every_event_opens_a_new_incident() {
    // Given a bound of 3,000 rows and events that each open a new incident
    BatchBuilder builder = new BatchBuilder(new BatchLimits(3_000, 9L << 20, Duration.ofSeconds(1)));
    int accepted = 0;

    // When offered until refused
    while (builder.offer(valid(TestEvents.note(UUID.randomUUID(), "n")), 0)) accepted++;

    // Then 1,500 events fit: 3,000 rows, events and anchors together
    assertThat(accepted).isEqualTo(1_500);
    assertThat(builder.rows()).isEqualTo(3_000);
    assertThat(builder.isFull()).isTrue();
  }

  @Test
  void a_repeated_event_adds_no_row_and_a_dead_letter_adds_none_either() {
    BatchBuilder builder = new BatchBuilder(new BatchLimits(4, 1 << 20, Duration.ofSeconds(1)));
    Event event = TestEvents.note(UUID.randomUUID(), "same");

    assertThat(builder.offer(valid(event), 0)).isTrue();
    assertThat(builder.offer(valid(event), 0)).isTrue();
    assertThat(builder.offer(Decoded.of(delivery("{not json".getBytes(StandardCharsets.UTF_8))), 0)).isTrue();

    assertThat(builder.rows()).isEqualTo(2);
  }

  @Test
  void the_byte_bound_cuts_a_batch_but_a_record_alone_always_fits() {
    byte[] big = "x".repeat(600).getBytes(StandardCharsets.UTF_8);
    BatchBuilder builder = new BatchBuilder(new BatchLimits(3_000, 1_000, Duration.ofSeconds(1)));

    assertThat(builder.offer(Decoded.of(delivery(big)), 0)).isTrue();
    assertThat(builder.offer(Decoded.of(delivery(big)), 0)).isFalse();
    assertThat(builder.drain()).hasSize(1);
    assertThat(builder.offer(Decoded.of(delivery("y".repeat(5_000).getBytes(StandardCharsets.UTF_8))), 0)).isTrue();
  }

  @Test
  void a_batch_falls_due_when_its_first_record_has_waited_the_maximum() {
    BatchBuilder builder = new BatchBuilder(new BatchLimits(100, 1 << 20, Duration.ofMillis(50)));
    long t0 = 1_000_000_000L;

    builder.offer(valid(TestEvents.note(UUID.randomUUID(), "a")), t0);
    builder.offer(valid(TestEvents.note(UUID.randomUUID(), "b")), t0 + 40_000_000L);

    assertThat(builder.isDue(t0 + 49_000_000L)).isFalse();
    assertThat(builder.nanosUntilDue(t0 + 40_000_000L)).isEqualTo(10_000_000L);
    assertThat(builder.isDue(t0 + 50_000_000L)).isTrue();
    List<Decoded> batch = builder.drain();
    assertThat(batch).hasSize(2);
    assertThat(builder.isEmpty()).isTrue();
    assertThat(builder.isDue(t0 + 999_000_000L)).isFalse();
  }

  static Decoded valid(Event event) {
    return Decoded.of(delivery(EventCodec.encode(event)));
  }

  static Delivery delivery(byte[] value) {
    return new Delivery("quorum.actions.v1", 0, OFFSET.incrementAndGet(), Instant.parse("2026-06-15T02:00:00Z"),
        null, value, List.of());
  }
}
