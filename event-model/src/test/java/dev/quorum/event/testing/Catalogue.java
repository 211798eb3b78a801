package dev.quorum.event.testing;

import dev.quorum.event.EventData;
import dev.quorum.event.EventData.*;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import java.util.Map;
import java.util.UUID;

/** Short names for payloads in tests. */
public final class Catalogue {
  private Catalogue() {}

  public static IncidentTriggered triggered() {
    return new IncidentTriggered("Checkout latency above SLO", "checkout", Severity.CRITICAL, null);
  }

  public static AlertFired fired(String fingerprint) {
    return new AlertFired(fingerprint, "HighLatency " + fingerprint, "checkout", Severity.WARNING,
        Map.of("alertname", "HighLatency", "instance", fingerprint));
  }

  public static AlertResolved signalResolved(String fingerprint) {
    return new AlertResolved(fingerprint);
  }

  public static IncidentAcknowledged ack() {
    return new IncidentAcknowledged();
  }

  public static IncidentUnacknowledged unack() {
    return new IncidentUnacknowledged(UnackReason.TIMEOUT);
  }

  public static IncidentMitigated mitigated() {
    return new IncidentMitigated("rolled back");
  }

  public static IncidentResolved resolved() {
    return new IncidentResolved("fixed by rollback");
  }

  public static IncidentReopened reopened() {
    return new IncidentReopened("came back");
  }

  public static IncidentClosed closed() {
    return new IncidentClosed();
  }

  public static IncidentMerged mergedInto(UUID target) {
    return new IncidentMerged(target);
  }

  public static IncidentEscalated escalated(int level) {
    return new IncidentEscalated(level, "team:payments-secondary", EscalationReason.TIMEOUT);
  }

  public static ResponderAssigned assigned(String responder) {
    return new ResponderAssigned(responder);
  }

  public static ResponderUnassigned unassigned(String responder) {
    return new ResponderUnassigned(responder);
  }

  public static RoleAssigned role(Role role, String responder) {
    return new RoleAssigned(role, responder);
  }

  public static SeverityChanged severity(Severity severity) {
    return new SeverityChanged(severity);
  }

  public static NoteAdded note(String text) {
    return new NoteAdded(text);
  }

  public static FollowupCreated followup(String id) {
    return new FollowupCreated(id, "Add a canary for " + id, "user:bob");
  }

  public static FollowupCompleted followupDone(String id) {
    return new FollowupCompleted(id);
  }

  public static EventData unknown(String type) {
    return new Unknown(type, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("x", 1));
  }
}
