package dev.quorum.ingest.cli;

import java.io.PrintWriter;

/** A one-line text progress bar, redrawn in place on a terminal's error stream. */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final int total;
  private final boolean visible;
  private int count;

  Progress(PrintWriter out, int total, boolean visible) {
    this.out = out;
    this.total = total;
    this.visible = visible;
  }

  void advance(int events) {
    count += events;
    if (!visible) return;
    int filled = total == 0 ? WIDTH : (int) ((long) count * WIDTH / total);
    int percent = total == 0 ? 100 : (int) ((long) count * 100 / total);
    out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + count + "/" + total + " events (" + percent + "%)");
    out.flush();
  }

  int count() {
    return count;
  }

  void done() {
    if (visible && count > 0) {
      out.println();
      out.flush();
    }
  }
}
