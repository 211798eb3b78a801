package dev.quorum.projection.kafka;

import dev.quorum.event.Event;
import dev.quorum.projection.domain.Projector.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The projection's meters, including the end-to-end lag: now minus {@code recordedAt} of the last applied event. */
public final class ProjectionMetrics {
  private final Clock clock;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Counter skipped;
  private final Counter refused;
  private final Timer applyLag;
  private final AtomicReference<Instant> lastRecordedAt = new AtomicReference<>();

  public ProjectionMetrics(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome, Counter.builder("quorum.projection.events")
          .description("Committed events by what the projection did with them")
          .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
    skipped = Counter.builder("quorum.projection.events")
        .description("Committed events by what the projection did with them")
        .tag("outcome", "skipped")
        .register(registry);
    refused = Counter.builder("quorum.projection.events")
        .description("Committed events by what the projection did with them")
        .tag("outcome", "refused")
        .register(registry);
    applyLag = Timer.builder("quorum.projection.apply.lag")
        .description("From the storing statement to the projection applying the event")
        .publishPercentileHistogram()
        .register(registry);
    Gauge.builder("quorum.projection.end.to.end.lag", this, ProjectionMetrics::endToEndLagSeconds)
        .description("Now minus recordedAt of the last event the views applied (NaN before the first)")
        .baseUnit("seconds")
        .register(registry);
  }

  public void projected(Event event, Outcome outcome) {
    outcomes.get(outcome).increment();
    if (outcome == Outcome.DUPLICATE) return;
    Instant recordedAt = event.stored().recordedAt();
    applyLag.record(Duration.between(recordedAt, clock.instant()).isNegative()
        ? Duration.ZERO : Duration.between(recordedAt, clock.instant()));
    lastRecordedAt.accumulateAndGet(recordedAt, (a, b) -> a == null || b.isAfter(a) ? b : a);
  }

  /** A record that is not a stored event keyed by its incident: logged and left behind. */
  public void skipped() {
    skipped.increment();
  }

  /** A stored event the views cannot take (its state value would exceed the limit): logged with its id. */
  public void refused() {
    refused.increment();
  }

  public double endToEndLagSeconds() {
    Instant last = lastRecordedAt.get();
    return last == null ? Double.NaN : Duration.between(last, clock.instant()).toNanos() / 1e9;
  }
}
