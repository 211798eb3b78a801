package dev.quorum.projection.kafka;

/** The names of the state stores, which also name their changelog topics. */
public final class StoreNames {
  /** Incident id → the small state value ({@code IncidentState.withoutHistory()}). */
  public static final String STATE = "incident-state";
  /** Incident id + order key → one timeline entry per event. */
  public static final String TIMELINE = "incident-timeline";
  /** Incident id + event id → the order key of the applied copy: how a repeat is recognised. */
  public static final String APPLIED = "incident-event-ids";
  /** Incident id + episode number → every episode, the listing's source. */
  public static final String EPISODES = "incident-episodes";
  /** Status + list order ({@code ListingKey}) → nothing: the index a page of the listing scans. */
  public static final String LISTING = "incident-listing";
  /** Incident id + episode number → where a re-fold of a late event in that episode starts. */
  public static final String CHECKPOINTS = "incident-checkpoints";
  /** Target incident id + source incident id + source episode → the signals that episode took into the target (ADR 7). */
  public static final String MERGED = "incident-merged-signals";
  /** Incident id + episode number + signal fingerprint or role change order key → the item (ADR 8). */
  public static final String ITEMS = "incident-episode-items";
  /**
   * Incident id + episode number → the timestamp of the episode's latest change whose view the incidents
   * topic has not had yet: what the next publication sends (in memory, changelogged).
   */
  public static final String UNPUBLISHED = "incident-unpublished";
  /**
   * Sequence number → a record a merge target passes on to the incident it is itself merged into (chained
   * merges, ADR 7), sent in order at the next publication (in memory, changelogged).
   */
  public static final String RELAYS = "incident-relays";
  /**
   * The views a task read or wrote last, as objects shared by its processors ({@code TaskObjects}): in
   * memory, no changelog.
   */
  public static final String OBJECTS = "incident-objects";
  /** {@code incidentId/number} → the episode's analytics sample (the table the buckets aggregate). */
  public static final String SAMPLES = "episode-samples";
  /** {@code day|severity|service} → the bucket's sums. */
  public static final String BUCKETS = "analytics-daily";

  private StoreNames() {}
}
