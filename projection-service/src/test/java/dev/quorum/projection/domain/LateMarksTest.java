package dev.quorum.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.fold.OrderKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LateMarksTest {
  private static final Instant BASE = Instant.parse("2026-06-15T02:00:00Z");

  private static OrderKey key(int minute) {
    return new OrderKey(BASE.plusSeconds(60L * minute), 0, minute, new UUID(0, minute + 1));
  }

  @Test
  void more_marks_than_kept_merge_so_that_every_checkpoint_reaches_at_least_as_far_as_before() {
    // Given: 100 late events in random order, each recorded an hour or more after it was appended
    Random random = new Random(7);
    List<LateMarks.Mark> all = new ArrayList<>();
    for (int minute = 0; minute < 100; minute++) {
      Instant recorded = BASE.plusSeconds(3_600L + random.nextInt(100_000));
      all.add(new LateMarks.Mark(key(minute), new Checkpoint.Reach(recorded, minute % 3 == 0 ? null : recorded.minusSeconds(5))));
    }
    Collections.shuffle(all, random);

    // When
    LateMarks marks = LateMarks.NONE;
    for (LateMarks.Mark mark : all) marks = marks.with(mark);

    // Then: at most 32 kept, and each checkpoint's reach covers every late event before its opener
    assertThat(marks.marks()).hasSize(LateMarks.MAX);
    for (int opener = 0; opener <= 100; opener++) {
      Checkpoint.Reach exact = Checkpoint.Reach.NONE;
      for (LateMarks.Mark mark : all) if (mark.key().compareTo(key(opener)) < 0) exact = exact.with(mark.reach());
      Checkpoint.Reach kept = marks.reach(key(opener), Checkpoint.Reach.NONE);
      assertThat(exact.recorded() == null || !kept.recorded().isBefore(exact.recorded())).isTrue();
      assertThat(exact.occurred() == null || !kept.occurred().isBefore(exact.occurred())).isTrue();
    }
    // and read back as stored
    assertThat(LateMarks.decode(marks.encode())).isEqualTo(marks);
    assertThat(marks.lacking()).isFalse();
    assertThat(marks.with(LateMarks.Mark.LACKING).lacking()).isTrue();
  }
}
