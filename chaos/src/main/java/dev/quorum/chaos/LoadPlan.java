package dev.quorum.chaos;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The whole load of a run, drawn from the seed before anything is sent: rounds of events over the
 * incidents, each round split between the gateway and a direct producer so that responders act on the
 * same incident at the same moment through both, with redeliveries of events already sent and poison
 * records among the direct ones. The same seed gives the same plan.
 */
final class LoadPlan {
  static final String DIRECT_SOURCE = "chaos/direct";
  static final String POISON_MARK = "chaos-poison-";
  private static final Instant EPOCH = Instant.parse("2026-11-27T00:00:00Z");
  private static final int INCIDENTS_PER_ROUND = 8;

  /** A record to publish: a valid event (new, or a redelivery of one planned earlier) or a poison record. */
  sealed interface Item permits Valid, Poison {}

  record Valid(Event event, boolean redelivery) implements Item {}

  /** Bytes that are not a valid event; {@code id} is written into them so that a dead letter names its origin. */
  record Poison(UUID id, UUID incident, byte[] value, String expectedReason) implements Item {}

  /** What one round sends at the same moment: a gateway batch and direct records. */
  record Round(List<Valid> gateway, List<Item> direct) {
    int size() {
      return gateway.size() + direct.size();
    }
  }

  final List<Round> rounds = new ArrayList<>();
  final List<UUID> incidents = new ArrayList<>();
  int newEvents;
  int redeliveries;
  int poison;

  static LoadPlan draw(ChaosSettings settings) {
    return new LoadPlan(settings);
  }

  private LoadPlan(ChaosSettings s) {
    Random random = new Random(s.seed());
    for (int i = 0; i < s.incidents(); i++) incidents.add(uuid(random));
    Map<UUID, Integer> eventsOf = new java.util.HashMap<>();
    List<Valid> sentGateway = new ArrayList<>();
    List<Valid> sentDirect = new ArrayList<>();
    int untriggered = 0; // the first rounds trigger every incident once, so that all of them are acted on
    long tick = 0;
    while (newEvents < s.events()) {
      List<Valid> gateway = new ArrayList<>();
      List<Item> direct = new ArrayList<>();
      for (int k = 0; k < INCIDENTS_PER_ROUND && newEvents < s.events(); k++) {
        UUID incident = untriggered < incidents.size() ? incidents.get(untriggered++) : incidents.get(random.nextInt(incidents.size()));
        int n = eventsOf.merge(incident, 1, Integer::sum) - 1;
        // responders acting at once: several events of one incident, split over both paths, in one round
        int burst = n == 0 ? 1 : 1 + random.nextInt(3);
        for (int b = 0; b < burst && newEvents < s.events(); b++) {
          boolean viaGateway = random.nextBoolean();
          String actor = "user:responder-" + random.nextInt(25);
          EventData data = n == 0 && b == 0 ? trigger(random, incident) : action(random);
          Event event = Event.of(uuid(random), viaGateway ? Pipeline.GATEWAY_SOURCE : DIRECT_SOURCE, incident,
              EPOCH.plusMillis(tick++ * 37), actor, data);
          Valid valid = new Valid(event, false);
          newEvents++;
          if (viaGateway) {
            gateway.add(valid);
          } else {
            direct.add(valid);
          }
          if (random.nextDouble() < s.redeliveryRate()) {
            // a producer sending again what it sent before: same path, same bytes, same event id
            boolean again = random.nextBoolean() && !sentGateway.isEmpty() || sentDirect.isEmpty();
            List<Valid> from = again && !sentGateway.isEmpty() ? sentGateway : sentDirect;
            if (!from.isEmpty()) {
              Valid earlier = from.get(random.nextInt(from.size()));
              redeliveries++;
              if (from == sentGateway) {
                gateway.add(new Valid(earlier.event(), true));
              } else {
                direct.add(new Valid(earlier.event(), true));
              }
            }
          }
          if (!viaGateway && random.nextDouble() < s.poisonRate() * 2) {
            direct.add(poison(random, incident));
          }
        }
      }
      for (Valid v : gateway) if (!v.redelivery()) sentGateway.add(v);
      for (Item i : direct) if (i instanceof Valid v && !v.redelivery()) sentDirect.add(v);
      rounds.add(new Round(gateway, direct));
    }
  }

  private Poison poison(Random random, UUID incident) {
    poison++;
    UUID id = uuid(random);
    String mark = POISON_MARK + id;
    if (random.nextBoolean()) {
      // not JSON at all: cut off in the middle
      String value = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + mark + "\",\"type\":\"quorum.note.ad";
      return new Poison(id, incident, value.getBytes(StandardCharsets.UTF_8), "malformed-envelope");
    }
    // a valid envelope of a known type whose data lacks a required field
    String value = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + mark
        + "\",\"type\":\"quorum.incident.triggered\",\"subject\":\"" + incident
        + "\",\"time\":\"2026-11-27T00:00:00Z\",\"datacontenttype\":\"application/json\",\"actor\":\"user:poison\","
        + "\"data\":{\"service\":\"payments\"}}";
    return new Poison(id, incident, value.getBytes(StandardCharsets.UTF_8), "invalid-data");
  }

  private static EventData trigger(Random random, UUID incident) {
    Severity severity = Severity.values()[random.nextInt(Severity.values().length)];
    String service = "svc-" + random.nextInt(7);
    if (random.nextBoolean()) {
      return new EventData.IncidentTriggered("incident " + incident.toString().substring(0, 8), service, severity, null);
    }
    return new EventData.AlertFired("fp-" + random.nextInt(4), "alert on " + service, service, severity,
        Map.of("service", service));
  }

  private static EventData action(Random random) {
    String responder = "user:responder-" + random.nextInt(25);
    return switch (random.nextInt(17)) {
      case 0, 1, 2 -> new EventData.IncidentAcknowledged();
      case 3 -> new EventData.IncidentUnacknowledged(EventData.UnackReason.values()[random.nextInt(2)]);
      case 4 -> new EventData.IncidentMitigated("mitigated " + random.nextInt(100));
      case 5 -> new EventData.IncidentResolved("fixed " + random.nextInt(100));
      case 6 -> new EventData.IncidentReopened("again " + random.nextInt(100));
      case 7 -> new EventData.IncidentClosed();
      case 8 -> new EventData.IncidentEscalated(1 + random.nextInt(3), "team-" + random.nextInt(4),
          EventData.EscalationReason.values()[random.nextInt(2)]);
      case 9 -> new EventData.ResponderAssigned(responder);
      case 10 -> new EventData.ResponderUnassigned(responder);
      case 11 -> new EventData.RoleAssigned(Role.values()[random.nextInt(Role.values().length)], responder);
      case 12 -> new EventData.SeverityChanged(Severity.values()[random.nextInt(Severity.values().length)]);
      case 13 -> new EventData.FollowupCreated("f" + random.nextInt(5), "follow up " + random.nextInt(100), responder);
      case 14 -> new EventData.FollowupCompleted("f" + random.nextInt(5));
      case 15 -> random.nextBoolean() ? new EventData.AlertFired("fp-" + random.nextInt(4), "alert", "svc", Severity.WARNING, Map.of())
          : new EventData.AlertResolved("fp-" + random.nextInt(4));
      default -> new EventData.NoteAdded("note " + random.nextInt(1_000_000));
    };
  }

  /** A random (version 4) UUID drawn from the seeded generator. */
  static UUID uuid(Random random) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
