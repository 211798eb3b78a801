package dev.quorum.projection.domain;

import dev.quorum.event.fold.Episode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one episode contributes to the analytics: its bucket (trigger day in UTC, service, severity),
 * its MTTA and MTTR samples in microseconds (null until acknowledged / finally resolved), and its
 * escalation and reopen counts.
 */
public record EpisodeSample(
    LocalDate day,
    String service,
    String severity,
    Long microsToAcknowledge,
    Long microsToResolve,
    int escalations,
    int reopens) {

  /** Shown for an episode whose service or severity is not known. */
  public static final String NONE = "-";

  public EpisodeSample {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(severity, "severity");
  }

  /** The sample of an episode, or empty for one that analytics exclude (merged). */
  public static Optional<EpisodeSample> of(Episode episode) {
    if (!episode.countsForAnalytics()) return Optional.empty();
    return Optional.of(new EpisodeSample(
        LocalDate.ofInstant(episode.triggeredAt(), ZoneOffset.UTC),
        episode.service() == null ? NONE : episode.service(),
        episode.severity() == null ? NONE : episode.severity().name().toLowerCase(Locale.ROOT),
        episode.timeToAcknowledge().map(EpisodeSample::micros).orElse(null),
        episode.timeToResolve().map(EpisodeSample::micros).orElse(null),
        episode.escalations(),
        episode.reopens()));
  }

  public BucketKey bucket() {
    return new BucketKey(day, service, severity);
  }

  private static long micros(Duration duration) {
    return duration.truncatedTo(ChronoUnit.MICROS).toNanos() / 1_000;
  }
}
