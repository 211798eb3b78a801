package dev.quorum.kit.console;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Progress of a long step, suited to its reader: on a terminal a bar redrawn in place a few times a
 * second; on a pipe or a file (CI, {@code | tee}) a plain line every few seconds instead of a stream of
 * carriage returns. Safe to update from several threads.
 */
public final class Progress {
  /** Set to {@code true} or {@code false} by a launching script that knows whether stderr is a terminal. */
  public static final String TTY_PROPERTY = "quorum.tty";
  private static final long LINE_EVERY_NANOS = 5_000_000_000L;
  private static final long BAR_EVERY_NANOS = 200_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final String what;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastNanos;
  private long lastPrinted = -1;

  public Progress(PrintWriter out, boolean terminal, String what, long total) {
    this.out = out;
    this.terminal = terminal;
    this.what = what;
    this.total = total;
    // nanoTime has an arbitrary origin: the first update always prints
    this.lastNanos = startNanos - LINE_EVERY_NANOS;
  }

  /** Progress on standard error, as a bar when it is a terminal. */
  public static Progress onStandardError(String what, long total) {
    return new Progress(new PrintWriter(System.err, true), stderrIsTerminal(), what, total);
  }

  /** Progress on {@code out}, as a bar when standard error is a terminal. */
  public static Progress on(PrintWriter out, String what, long total) {
    return new Progress(out, stderrIsTerminal(), what, total);
  }

  /**
   * Whether standard error is a terminal: what the launching script said ({@value #TTY_PROPERTY}),
   * else what the JVM can tell (a console that is a terminal).
   */
  public static boolean stderrIsTerminal() {
    String said = System.getProperty(TTY_PROPERTY);
    if (said != null) return Boolean.parseBoolean(said);
    java.io.Console console = System.console();
    if (console == null) return false;
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal"); // Java 22 and later
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only for a terminal
    }
  }

  /** Reports {@code done} of the total; prints only when it is time to. */
  public synchronized void update(long done) {
    long now = System.nanoTime();
    if (now - lastNanos < (terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS) && done < total) return;
    lastNanos = now;
    print(done, now);
  }

  /** Prints the final count (and ends the bar's line on a terminal). */
  public synchronized void done(long done) {
    if (done != lastPrinted) print(done, System.nanoTime());
    if (terminal) out.println();
    out.flush();
  }

  private void print(long done, long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    if (terminal) {
      int filled = percent * WIDTH / 100;
      out.printf(Locale.ROOT, "\r%-34s [%-30s] %3d%%  %,d/%,d  %,.0f/s ", what, "=".repeat(filled), percent, done,
          total, rate);
    } else {
      out.printf(Locale.ROOT, "%s: %,d/%,d (%d%%), %,.0f/s, %.0f s%n", what, done, total, percent, rate, seconds);
    }
    out.flush();
    lastPrinted = done;
  }

  /** Whether anything was printed yet. */
  public synchronized boolean drawn() {
    return lastPrinted >= 0;
  }

  /** For tests: progress to a stream. */
  public static Progress to(PrintStream out, boolean terminal, String what, long total) {
    return new Progress(new PrintWriter(out, true), terminal, what, total);
  }
}
