package dev.quorum.store.tx;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a transaction is retried: capped exponential backoff with jitter.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the cap of any one wait
 * @param multiplier the growth of the wait per attempt
 * @param jitter the randomization factor in [0, 1): each wait is drawn from wait * (1 ± jitter)
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

  /** Enough attempts to outlast a burst of DSQL conflicts, short enough to keep a consumer in its group. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(10, Duration.ofMillis(20), Duration.ofSeconds(2), 2.0, 0.5);

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
    }
    if (!(multiplier >= 1.0)) throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
    if (!(jitter >= 0.0 && jitter < 1.0)) throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter);
  }

  /** The resilience4j retry that applies this policy to the errors {@link RetryClassification} calls retryable. */
  public Retry toRetry(String name) {
    IntervalFunction backoff =
        IntervalFunction.ofExponentialRandomBackoff(initialBackoff, multiplier, jitter, maxBackoff);
    return Retry.of(
        name,
        RetryConfig.custom()
            .maxAttempts(maxAttempts)
            .intervalFunction(backoff)
            .retryOnException(RetryClassification::isRetryable)
            .build());
  }
}
