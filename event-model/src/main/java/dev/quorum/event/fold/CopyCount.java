package dev.quorum.event.fold;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many tree nodes and list slots the episode's shared structures have written since start: the
 * work an apply does on them, counted independently of allocation and time, so tests can bound it.
 */
public final class CopyCount {
  private static final LongAdder WRITES = new LongAdder();

  private CopyCount() {}

  static void add(long writes) {
    WRITES.add(writes);
  }

  /** Every write so far, in this JVM; take a difference around the work measured. */
  public static long total() {
    return WRITES.sum();
  }
}
