package dev.quorum.projection.domain;

/**
 * The sums behind MTTA and MTTR of one bucket. An episode's sample is added when it appears and
 * subtracted when it changes or leaves (late acks, reopens, merges), so past buckets stay correct.
 */
public record Bucket(
    long episodes,
    long acknowledged,
    long microsToAcknowledge,
    long resolved,
    long microsToResolve,
    long escalations,
    long reopens) {

  public static final Bucket EMPTY = new Bucket(0, 0, 0, 0, 0, 0, 0);

  public Bucket plus(EpisodeSample sample) {
    return combine(sample, 1);
  }

  public Bucket minus(EpisodeSample sample) {
    return combine(sample, -1);
  }

  public Bucket plus(Bucket other) {
    return new Bucket(
        episodes + other.episodes,
        acknowledged + other.acknowledged,
        microsToAcknowledge + other.microsToAcknowledge,
        resolved + other.resolved,
        microsToResolve + other.microsToResolve,
        escalations + other.escalations,
        reopens + other.reopens);
  }

  public boolean hasEpisodes() {
    return episodes != 0;
  }

  /** Mean time to acknowledge in seconds, or null when nothing was acknowledged. */
  public Double meanSecondsToAcknowledge() {
    return acknowledged == 0 ? null : microsToAcknowledge / (acknowledged * 1e6);
  }

  /** Mean time to resolve in seconds, or null when nothing was resolved. */
  public Double meanSecondsToResolve() {
    return resolved == 0 ? null : microsToResolve / (resolved * 1e6);
  }

  private Bucket combine(EpisodeSample s, int sign) {
    boolean acked = s.microsToAcknowledge() != null;
    boolean done = s.microsToResolve() != null;
    return new Bucket(
        episodes + sign,
        acknowledged + (acked ? sign : 0),
        microsToAcknowledge + (acked ? sign * s.microsToAcknowledge() : 0),
        resolved + (done ? sign : 0),
        microsToResolve + (done ? sign * s.microsToResolve() : 0),
        escalations + (long) sign * s.escalations(),
        reopens + (long) sign * s.reopens());
  }
}
