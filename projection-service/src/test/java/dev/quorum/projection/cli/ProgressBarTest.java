package dev.quorum.projection.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProgressBarTest {
  private static final Instant FROM = Instant.parse("2026-06-15T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-16T00:00:00Z");

  @Test
  void it_shows_how_far_through_the_time_range_the_scan_is_and_the_events_sent() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), "rebuild", FROM, TO);

    bar.update(1_234, Instant.parse("2026-06-15T12:00:00Z"));

    assertThat(out.toString()).startsWith("\rrebuild [###############               ]  50% 1,234 events");
  }

  @Test
  void an_open_start_is_measured_from_the_first_event_and_done_ends_the_line_at_100_percent() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), "replay", null, TO);

    bar.update(10, Instant.parse("2026-06-15T00:00:00Z"));
    bar.done(20);

    assertThat(out.toString()).contains("replay [                              ]   0% 10 events")
        .contains("[##############################] 100% 20 events").endsWith(System.lineSeparator());
  }
}
