package dev.quorum.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SendWindowTest {

  @Test
  @Timeout(60)
  void never_more_than_the_window_is_in_flight_and_the_end_waits_for_every_send() throws Exception {
    // Given a window of 64 and three threads finishing sends, each more slowly than they are sent
    SendWindow window = new SendWindow(64);
    LinkedBlockingQueue<Integer> inFlight = new LinkedBlockingQueue<>();
    AtomicInteger unfinished = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService finishers = Executors.newFixedThreadPool(3);
    for (int t = 0; t < 3; t++) {
      finishers.submit(() -> {
        while (true) {
          int send = inFlight.take();
          if (send < 0) return null;
          // each send takes a couple of microseconds to finish: slower than sending, so the window fills
          long until = System.nanoTime() + 1_000 + ThreadLocalRandom.current().nextInt(2_000);
          while (System.nanoTime() < until) Thread.onSpinWait();
          unfinished.decrementAndGet();
          done.incrementAndGet();
          window.finished();
        }
      });
    }

    // When 200,000 sends go through it
    for (int send = 0; send < 200_000; send++) {
      window.beforeSend();
      most.accumulateAndGet(unfinished.incrementAndGet(), Math::max);
      inFlight.add(send);
    }
    window.awaitAll();

    // Then the window filled but never more than 64 were unfinished at once, and every send had finished
    // when the end was reached
    assertThat(done.get()).isEqualTo(200_000);
    assertThat(window.started()).isEqualTo(200_000);
    assertThat(most.get()).isBetween(33, 64);
    for (int t = 0; t < 3; t++) inFlight.add(-1);
    finishers.shutdown();
    assertThat(finishers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void a_window_holds_at_least_one_send() {
    assertThatThrownBy(() -> new SendWindow(0)).isInstanceOf(IllegalArgumentException.class);
    SendWindow one = new SendWindow(1);
    one.beforeSend();
    one.finished();
    one.beforeSend();
    one.finished();
    one.awaitAll();
    assertThat(one.started()).isEqualTo(2);
  }
}
