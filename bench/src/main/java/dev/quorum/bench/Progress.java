package dev.quorum.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long step, suited to its reader: on a terminal a bar redrawn in place; on a pipe or a
 * file (CI, {@code | tee}) a plain line every few seconds instead of a stream of carriage returns.
 */
public final class Progress {
  private static final long LINE_EVERY_NANOS = 5_000_000_000L;
  private static final long BAR_EVERY_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final String what;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastNanos = startNanos - LINE_EVERY_NANOS;

  private Progress(PrintStream out, boolean terminal, String what, long total) {
    this.out = out;
    this.terminal = terminal;
    this.what = what;
    this.total = total;
  }

  /**
   * Progress on standard error, as a bar when it is a terminal: the launching script says so with
   * {@code -Dquorum.tty=true} (a JVM cannot tell whether its standard error is a terminal).
   */
  public static Progress of(String what, long total) {
    return new Progress(System.err, Boolean.getBoolean("quorum.tty"), what, total);
  }

  static Progress to(PrintStream out, boolean terminal, String what, long total) {
    return new Progress(out, terminal, what, total);
  }

  /** Reports {@code done} of the total; prints only when it is time to. */
  public void update(long done) {
    long now = System.nanoTime();
    if (now - lastNanos < (terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS) && done < total) return;
    lastNanos = now;
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    if (terminal) {
      int filled = percent * 30 / 100;
      out.printf(Locale.ROOT, "\r%-34s [%-30s] %3d%%  %,d/%,d  %,.0f/s ", what, "=".repeat(filled), percent, done,
          total, rate);
    } else {
      out.printf(Locale.ROOT, "%s: %,d/%,d (%d%%), %,.0f/s, %.0f s%n", what, done, total, percent, rate, seconds);
    }
  }

  /** Ends the bar (a last update and a new line on a terminal). */
  public void done(long done) {
    lastNanos = 0;
    update(done);
    if (terminal) out.println();
  }
}
