package dev.quorum.projection.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A one-line text progress bar (on stderr): how far through the time range the scan is (by the ingestedAt
 * of the last event sent: the scan goes in fold order),
 * and how many events went out. Redrawn at most a few times a second.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();

  private final PrintWriter out;
  private final String label;
  private Instant from;
  private final Instant to;
  private long lastDraw;

  ProgressBar(PrintWriter out, String label, Instant from, Instant to) {
    this.out = out;
    this.label = label;
    this.from = from;
    this.to = to;
    this.lastDraw = System.nanoTime() - REDRAW_NANOS; // nanoTime has an arbitrary origin: draw the first update
  }

  void update(long events, Instant through) {
    if (from == null) from = through; // an open start: measure from the first event seen
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS) return;
    lastDraw = now;
    draw(events, fraction(through), through);
  }

  void done(long events) {
    draw(events, 1.0, to);
    out.println();
  }

  private double fraction(Instant through) {
    long total = Duration.between(from, to).toMillis();
    if (total <= 0) return 1.0;
    return Math.max(0, Math.min(1.0, Duration.between(from, through).toMillis() / (double) total));
  }

  private void draw(long events, double fraction, Instant through) {
    int filled = (int) Math.round(fraction * WIDTH);
    out.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %,d events (through %s)",
        label, "#".repeat(filled), " ".repeat(WIDTH - filled), Math.round(fraction * 100), events, through);
    out.flush();
  }
}
