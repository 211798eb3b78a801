package dev.quorum.chaos;

import java.util.Collection;

/** Waiting for the run's threads: an interrupt ends the wait and stays set for the caller to see. */
final class Threads {
  private Threads() {}

  /** Waits for every thread; false when interrupted (the interrupt flag is set again). */
  static boolean joinAll(Collection<Thread> threads) {
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Waits for one thread; false when interrupted (the interrupt flag is set again). */
  static boolean join(Thread thread) {
    return joinAll(java.util.List.of(thread));
  }
}
