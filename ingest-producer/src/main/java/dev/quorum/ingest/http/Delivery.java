package dev.quorum.ingest.http;

import dev.quorum.event.Event;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Published;
import dev.quorum.ingest.kafka.QuorumPublisher;
import dev.quorum.kit.http.ProblemException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a request's events and waits for Kafka's acknowledgement, so that a 202 is only sent after
 * the write; a timeout or a broker error becomes a 503 with {@code Retry-After}, a record too large a 413.
 * Once Kafka is known to be down (a circuit breaker: publications in a row that it did not acknowledge),
 * requests get their 503 at once instead of each waiting out the producer's timeouts; after a while one
 * request probes Kafka again, and its success closes the breaker.
 */
public final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private final QuorumPublisher publisher;
  private final Duration ackTimeout;
  private final int retryAfterSeconds;
  private final GatewayMetrics metrics;
  private final ExecutorService senders;
  private final CircuitBreaker breaker;

  /**
   * @param ackTimeout the longest wait for acknowledgements; set above the producer's own timeouts
   *     (max.block.ms plus delivery.timeout.ms), so that it only guards against a stuck future
   * @param senders runs sends that must not hold the caller past its own deadline (Slack)
   */
  public Delivery(QuorumPublisher publisher, Duration ackTimeout, Duration retryAfter, CircuitBreaker breaker, GatewayMetrics metrics,
      ExecutorService senders) {
    this.publisher = publisher;
    this.ackTimeout = ackTimeout;
    this.retryAfterSeconds = (int) Math.max(1, retryAfter.toSeconds());
    this.breaker = breaker;
    this.metrics = metrics;
    this.senders = senders;
    metrics.breaker(breaker);
  }

  /**
   * The breaker in front of Kafka: open after {@code failures} unacknowledged publications in a row, one
   * probe after {@code wait} in the open state.
   */
  public static CircuitBreaker breaker(int failures, Duration wait) {
    return CircuitBreaker.of("kafka", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(failures)
        .minimumNumberOfCalls(failures)
        .failureRateThreshold(100)
        .waitDurationInOpenState(wait)
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .build());
  }

  /**
   * Publishes and waits.
   *
   * @throws InvalidInput if an event is not valid
   * @throws ProblemException 503 (with Retry-After) when Kafka did not acknowledge, 413 for a record too large
   */
  public List<Published> publish(String route, List<Event> events) {
    admit(route);
    long start = System.nanoTime();
    CompletableFuture<List<Published>> acknowledged;
    try {
      acknowledged = publisher.publishAll(events);
    } catch (DecodeException e) {
      breaker.releasePermission(); // nothing was sent: says nothing about Kafka
      throw InvalidInput.from(e);
    }
    try {
      List<Published> published = acknowledged.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
      outcome(route, start, published, null);
      return published;
    } catch (ExecutionException e) {
      outcome(route, start, null, e.getCause());
      throw failure(e.getCause());
    } catch (TimeoutException e) {
      outcome(route, start, null, e);
      throw unavailable("Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      breaker.releasePermission();
      Thread.currentThread().interrupt();
      throw unavailable("the gateway is shutting down");
    }
  }

  /**
   * Whether Kafka may be tried now.
   *
   * @throws ProblemException 503 at once while the breaker is open
   */
  private void admit(String route) {
    if (!breaker.tryAcquirePermission()) {
      metrics.unavailable(route, Duration.ZERO);
      throw unavailable("Kafka is unavailable (recent publications were not acknowledged; it is probed again every "
          + breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) + " ms)");
    }
  }

  /** Counts a publication's outcome, for the metrics and the breaker: a record too large is Kafka answering. */
  private void outcome(String route, long start, List<Published> published, Throwable error) {
    long took = System.nanoTime() - start;
    if (error == null) {
      metrics.published(route, published.size(), Duration.ofNanos(took));
      breaker.onSuccess(took, TimeUnit.NANOSECONDS);
    } else if (error instanceof DecodeException) {
      breaker.releasePermission();
    } else {
      metrics.unavailable(route, Duration.ofNanos(took));
      if (QuorumPublisher.classify(error) == QuorumPublisher.Failure.TOO_LARGE) breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      else breaker.onError(took, TimeUnit.NANOSECONDS, error);
    }
  }

  /** Publishes on another thread, so that even a send blocked on metadata cannot hold the caller. */
  public CompletableFuture<List<Published>> publishAsync(String route, List<Event> events) {
    try {
      admit(route);
    } catch (ProblemException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("Kafka is unavailable; the gateway is waiting before it tries again"));
    }
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(() -> publisher.publishAll(events), senders)
        .thenCompose(future -> future)
        .whenComplete((published, error) -> outcome(route, start, published,
            error instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : error));
  }

  /** What a failed publication means for the client. */
  ProblemException failure(Throwable cause) {
    if (QuorumPublisher.classify(cause) == QuorumPublisher.Failure.TOO_LARGE) {
      return ProblemException.tooLarge("an event is larger than Kafka accepts: " + cause.getMessage());
    }
    LOG.warn("Kafka did not acknowledge: {}", cause.toString());
    return unavailable("Kafka did not acknowledge the write: " + cause.getMessage());
  }

  private ProblemException unavailable(String detail) {
    return ProblemException.unavailable(detail + "; some events may have been written: send the same request again (event ids make that safe)",
        retryAfterSeconds);
  }
}
