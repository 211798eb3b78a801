package dev.quorum.bench.writer;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.EscalationReason;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A seeded, realistic stream of responder actions and signals: the mix of types an incident storm
 * produces (notes, firing and resolving alerts, acks, assignments, roles, severity changes,
 * escalations, follow-ups) spread over many incidents, with text sizes that vary like real notes and
 * alert labels. The same seed gives the same events, byte for byte.
 */
public final class Workload {
  private static final String[] SERVICES = {"checkout", "payments", "search", "auth", "inventory", "edge-proxy",
      "ledger", "notifications", "profile", "recommendations"};
  private static final String[] PEOPLE = {"alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi"};
  private static final String[] WORDS = ("latency error rate p99 rollback deploy canary database replica lag "
      + "connection pool exhausted retry storm upstream timeout cache miss ratio shard failover region traffic "
      + "shifted mitigation confirmed customers impacted dashboard shows recovering investigating root cause "
      + "config change feature flag disabled restarted pods queue depth backlog draining").split(" ");

  private final SplittableRandom random;
  private final List<UUID> incidents;
  private final Instant start;
  private final int hotPercent;

  public Workload(long seed, int incidents) {
    this(seed, incidents, 0);
  }

  /** The same mix, with {@code hotPercent} % of the events on one hot incident (the first of the list). */
  public Workload(long seed, int incidents, int hotPercent) {
    if (hotPercent < 0 || hotPercent > 100) throw new IllegalArgumentException("hotPercent must be 0-100: " + hotPercent);
    this.hotPercent = hotPercent;
    this.random = new SplittableRandom(seed);
    this.incidents = new ArrayList<>(incidents);
    for (int i = 0; i < incidents; i++) this.incidents.add(uuid());
    this.start = Instant.parse("2026-06-15T02:00:00Z");
  }

  /** The next event, encoded as a producer sends it. */
  public byte[] next(long sequence) {
    return EventCodec.encode(event(sequence));
  }

  /** The next event. */
  public Event event(long sequence) {
    UUID incident = hotPercent > 0 && random.nextInt(100) < hotPercent ? hot()
        : incidents.get(random.nextInt(incidents.size()));
    String actor = "user:" + pick(PEOPLE);
    Instant at = start.plusMillis(sequence * 3);
    return Event.of(uuid(), "bench/storm", incident, at, actor, data());
  }

  /** The incident that takes {@code hotPercent} % of the events. */
  public UUID hot() {
    return incidents.getFirst();
  }

  /** How many incidents the events spread over. */
  public int incidents() {
    return incidents.size();
  }

  private EventData data() {
    int roll = random.nextInt(100);
    if (roll < 38) return new EventData.NoteAdded(sentence(20 + random.nextInt(200)));
    if (roll < 58) return alertFired();
    if (roll < 64) return new EventData.AlertResolved("fp-" + random.nextInt(5_000));
    if (roll < 71) return new EventData.IncidentAcknowledged();
    if (roll < 78) return new EventData.ResponderAssigned("user:" + pick(PEOPLE));
    if (roll < 82) return new EventData.RoleAssigned(Role.values()[random.nextInt(Role.values().length)],
        "user:" + pick(PEOPLE));
    if (roll < 86) return new EventData.SeverityChanged(Severity.values()[random.nextInt(Severity.values().length)]);
    if (roll < 89) return new EventData.IncidentEscalated(1 + random.nextInt(3), "team:" + pick(SERVICES),
        EscalationReason.values()[random.nextInt(EscalationReason.values().length)]);
    if (roll < 93) return new EventData.FollowupCreated("fu-" + random.nextInt(100_000), sentence(6 + random.nextInt(10)),
        "user:" + pick(PEOPLE));
    if (roll < 96) return new EventData.IncidentTriggered(sentence(4 + random.nextInt(8)), pick(SERVICES),
        Severity.values()[random.nextInt(Severity.values().length)], sentence(20 + random.nextInt(60)));
    if (roll < 98) return new EventData.IncidentMitigated(sentence(10 + random.nextInt(30)));
    return new EventData.IncidentResolved(sentence(10 + random.nextInt(40)));
  }

  private EventData alertFired() {
    String service = pick(SERVICES);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "High" + pick(WORDS).substring(0, 1).toUpperCase() + pick(WORDS));
    labels.put("service", service);
    labels.put("namespace", "prod-" + service);
    labels.put("pod", service + "-" + Integer.toHexString(random.nextInt()) + "-" + random.nextInt(100));
    labels.put("cluster", "eu-west-" + (1 + random.nextInt(3)));
    labels.put("severity", "critical");
    labels.put("instance", "10.0." + random.nextInt(256) + "." + random.nextInt(256) + ":9100");
    return new EventData.AlertFired("fp-" + random.nextInt(5_000), sentence(5 + random.nextInt(10)), service,
        Severity.values()[random.nextInt(Severity.values().length)], labels);
  }

  private String sentence(int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) text.append(' ');
      text.append(pick(WORDS));
    }
    return text.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private UUID uuid() {
    // A random (v4-shaped) id drawn from the seeded generator, so that a seed replays.
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }
}
