package dev.quorum.store.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.retry.Retry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryPolicyTest {
  private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), 2.0, 0.5);

  @Test
  void backoff_grows_exponentially_with_jitter_and_stays_under_its_cap() {
    // Given a policy starting at 100 ms, doubling, capped at 1 s, jitter 0.5
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);
    var interval = policy.toRetry("t").getRetryConfig().getIntervalBiFunction();

    // When the waits are drawn, Then each lies within its jitter band and none exceeds the cap
    for (int attempt = 1; attempt <= 9; attempt++) {
      long wait = interval.apply(attempt, null);
      double base = Math.min(1000, 100 * Math.pow(2, attempt - 1));
      assertThat(wait).isBetween((long) (base * 0.5) - 1, Math.min(1000L, (long) (base * 1.5) + 1));
    }
  }

  @Test
  void a_retryable_error_is_retried_until_it_recovers() throws Throwable {
    Retry retry = FAST.toRetry("recovers");
    AtomicInteger calls = new AtomicInteger();

    String result = retry.executeCheckedSupplier(() -> {
      if (calls.incrementAndGet() < 3) throw new SQLException("conflict (OC000)", "40001");
      return "stored";
    });

    assertThat(result).isEqualTo("stored");
    assertThat(calls).hasValue(3);
  }

  @Test
  void a_retryable_error_gives_up_after_the_configured_attempts() {
    Retry retry = FAST.toRetry("gives-up");
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> retry.executeCheckedSupplier(() -> {
      calls.incrementAndGet();
      throw new SQLException("conflict (OC000)", "40001");
    })).isInstanceOf(SQLException.class);
    assertThat(calls).hasValue(4);
  }

  @Test
  void a_fatal_error_is_not_retried() {
    Retry retry = FAST.toRetry("fatal");
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> retry.executeCheckedSupplier(() -> {
      calls.incrementAndGet();
      throw new SQLException("relation does not exist", "42P01");
    })).isInstanceOf(SQLException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void nonsense_is_refused_with_the_offending_value() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1), 2, 0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(1), 2, 0))
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), 2, 1.0))
        .hasMessageContaining("jitter");
  }
}
