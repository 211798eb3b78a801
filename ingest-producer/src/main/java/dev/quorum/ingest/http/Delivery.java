package dev.quorum.ingest.http;

import dev.quorum.event.Event;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.kafka.Published;
import dev.quorum.ingest.kafka.QuorumPublisher;
import dev.quorum.kit.http.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a request's events and waits for Kafka's acknowledgement, so that a 202 is only sent after
 * the write; a timeout or a broker error becomes a 503 with {@code Retry-After}, a record too large a 413.
 */
public final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private final QuorumPublisher publisher;
  private final Duration ackTimeout;
  private final int retryAfterSeconds;
  private final GatewayMetrics metrics;
  private final ExecutorService senders;

  /**
   * @param ackTimeout the longest wait for acknowledgements; set above the producer's own timeouts
   *     (max.block.ms plus delivery.timeout.ms), so that it only guards against a stuck future
   * @param senders runs sends that must not hold the caller past its own deadline (Slack)
   */
  public Delivery(QuorumPublisher publisher, Duration ackTimeout, Duration retryAfter, GatewayMetrics metrics, ExecutorService senders) {
    this.publisher = publisher;
    this.ackTimeout = ackTimeout;
    this.retryAfterSeconds = (int) Math.max(1, retryAfter.toSeconds());
    this.metrics = metrics;
    this.senders = senders;
  }

  /**
   * Publishes and waits.
   *
   * @throws InvalidInput if an event is not valid
   * @throws ProblemException 503 (with Retry-After) when Kafka did not acknowledge, 413 for a record too large
   */
  public List<Published> publish(String route, List<Event> events) {
    long start = System.nanoTime();
    CompletableFuture<List<Published>> acknowledged;
    try {
      acknowledged = publisher.publishAll(events);
    } catch (DecodeException e) {
      throw InvalidInput.from(e);
    }
    try {
      List<Published> published = acknowledged.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
      metrics.published(route, published.size(), Duration.ofNanos(System.nanoTime() - start));
      return published;
    } catch (ExecutionException e) {
      metrics.unavailable(route, Duration.ofNanos(System.nanoTime() - start));
      throw failure(e.getCause());
    } catch (TimeoutException e) {
      metrics.unavailable(route, Duration.ofNanos(System.nanoTime() - start));
      throw unavailable("Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("the gateway is shutting down");
    }
  }

  /** Publishes on another thread, so that even a send blocked on metadata cannot hold the caller. */
  public CompletableFuture<List<Published>> publishAsync(String route, List<Event> events) {
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(() -> publisher.publishAll(events), senders)
        .thenCompose(future -> future)
        .whenComplete((published, error) -> {
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          if (error == null) {
            metrics.published(route, published.size(), took);
          } else {
            metrics.unavailable(route, took);
          }
        });
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
