package dev.quorum.export.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.Axis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CutTest {
  static final Instant START = Instant.parse("2026-06-15T03:00:00Z");

  @Test
  void on_the_recorded_axis_the_cut_is_the_as_of_instant_and_never_later_than_the_start() {
    Cut past = new Cut(START.minusSeconds(3600), Axis.RECORDED, START);
    assertThat(past.recordedBy()).isEqualTo(START.minusSeconds(3600));
    assertThat(past.occurredBy()).isNull();
    assertThat(new Cut(START.plusSeconds(3600), Axis.RECORDED, START).recordedBy()).isEqualTo(START);
  }

  @Test
  void on_the_occurred_axis_the_cut_takes_what_occurred_by_the_instant_as_recorded_by_the_start() {
    Cut cut = new Cut(START.minusSeconds(3600), Axis.OCCURRED, START);
    assertThat(cut.occurredBy()).isEqualTo(START.minusSeconds(3600));
    assertThat(cut.recordedBy()).isEqualTo(START);
  }

  @Test
  void a_cut_is_settled_once_its_recording_bound_is_older_than_the_writer_transaction_cap() {
    Duration cap = Duration.ofSeconds(30);
    assertThat(new Cut(START.minusSeconds(31), Axis.RECORDED, START).settled(START, cap)).isTrue();
    assertThat(new Cut(START.minusSeconds(30), Axis.RECORDED, START).settled(START, cap)).isTrue();
    assertThat(new Cut(START.minusSeconds(29), Axis.RECORDED, START).settled(START, cap)).isFalse();
    assertThat(new Cut(START.minusSeconds(3600), Axis.OCCURRED, START).settled(START, cap)).isFalse();
  }
}
