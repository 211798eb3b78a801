package dev.quorum.ingest.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The gateway's own meters: requests by route and status, events published, Kafka acknowledgement latency, Slack replies. */
public final class GatewayMetrics {
  private final MeterRegistry registry;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void request(String route, int status) {
    Counter.builder("quorum.gateway.requests").description("HTTP requests answered, by route and status")
        .tag("route", route).tag("status", Integer.toString(status)).register(registry).increment();
  }

  void published(String route, int events, Duration latency) {
    Counter.builder("quorum.gateway.events.published").description("events acknowledged by Kafka")
        .tag("route", route).register(registry).increment(events);
    Timer.builder("quorum.gateway.publish.latency").description("time until Kafka acknowledged a request's events")
        .tag("route", route).tag("outcome", "acknowledged").register(registry).record(latency);
  }

  void unavailable(String route, Duration waited) {
    Timer.builder("quorum.gateway.publish.latency").description("time until Kafka acknowledged a request's events")
        .tag("route", route).tag("outcome", "failed").register(registry).record(waited);
  }

  /** The Kafka breaker's state: 0 closed, 1 open (503 at once), 2 half open (probing). */
  void breaker(CircuitBreaker breaker) {
    Gauge.builder("quorum.gateway.kafka.breaker.state", breaker, b -> switch (b.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY -> 0;
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
    }).description("0 closed, 1 open (Kafka known down: 503 at once), 2 half open (probing Kafka)").register(registry);
  }

  void truncatedAlerts(long alerts) {
    Counter.builder("quorum.gateway.alertmanager.truncated.alerts")
        .description("alerts Alertmanager left out of webhooks (max_alerts)").register(registry).increment(alerts);
  }

  void slackReply(String kind) {
    Counter.builder("quorum.gateway.slack.replies").description("Slack replies by kind")
        .tag("kind", kind).register(registry).increment();
  }
}
