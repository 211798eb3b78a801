package dev.quorum.ingest.cli;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A sliding window of sends for one sending thread: at most {@code size} unfinished at once. When it is
 * full, the sender waits until half of it has finished, so that it is woken once per half window, not
 * once per acknowledgement (a semaphore woke it for every one: a thread switch per event).
 */
final class SendWindow {
  private final int size;
  private final AtomicLong finished = new AtomicLong();
  private long started;
  private volatile Thread waiter;
  private volatile long wanted = Long.MAX_VALUE;

  SendWindow(int size) {
    if (size < 1) throw new IllegalArgumentException("size must be >= 1: " + size);
    this.size = size;
  }

  /** Waits, on the sending thread, until one more send fits; then counts it as started. */
  void beforeSend() {
    if (started - finished.get() >= size) awaitFinished(started - size / 2);
    started++;
  }

  /** Counts a send as finished, acknowledged or failed (any thread, once per send). */
  void finished() {
    long done = finished.incrementAndGet();
    if (done >= wanted) {
      Thread thread = waiter;
      if (thread != null) LockSupport.unpark(thread);
    }
  }

  /** Waits, on the sending thread, until every send started has finished. */
  void awaitAll() {
    awaitFinished(started);
  }

  /** Sends started so far. */
  long started() {
    return started;
  }

  private void awaitFinished(long target) {
    if (finished.get() >= target) return;
    // the waiter is published before the target, so that a send finishing past the target sees whom to wake
    waiter = Thread.currentThread();
    wanted = target;
    while (finished.get() < target) LockSupport.park(this);
    wanted = Long.MAX_VALUE;
    waiter = null;
  }
}
