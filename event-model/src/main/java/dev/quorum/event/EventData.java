package dev.quorum.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The type-specific payload of an event: the v1 catalogue (DESIGN §4) as records, plus {@link Unknown}
 * for well-formed envelopes of a type this version does not know.
 *
 * <p>Optional fields are {@code null} when absent. Validation of lengths and formats happens in the
 * codec, which names the JSON path; the constructors only guard the invariants the fold relies on.
 */
public sealed interface EventData {

  /** The CloudEvents {@code type}, e.g. {@code quorum.incident.acknowledged}: each record's {@code TYPE}. */
  default String type() {
    return TypeNames.of(getClass());
  }

  String PREFIX = "quorum.";

  /** Every type name of the v1 catalogue. */
  static java.util.Set<String> knownTypes() {
    return TypeNames.ALL;
  }

  record IncidentTriggered(String title, String service, Severity severity, String description)
      implements EventData {
    public static final String TYPE = PREFIX + "incident.triggered";

    public IncidentTriggered {
      Objects.requireNonNull(title, "title");
    }
  }

  record AlertFired(String fingerprint, String title, String service, Severity severity, Map<String, String> labels)
      implements EventData {
    public static final String TYPE = PREFIX + "alert.fired";

    public AlertFired {
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(title, "title");
      labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }
  }

  record AlertResolved(String fingerprint) implements EventData {
    public static final String TYPE = PREFIX + "alert.resolved";

    public AlertResolved {
      Objects.requireNonNull(fingerprint, "fingerprint");
    }
  }

  record IncidentAcknowledged() implements EventData {
    public static final String TYPE = PREFIX + "incident.acknowledged";
  }

  /** Why an acknowledgement was withdrawn. */
  enum UnackReason { USER, TIMEOUT }

  record IncidentUnacknowledged(UnackReason reason) implements EventData {
    public static final String TYPE = PREFIX + "incident.unacknowledged";

    public IncidentUnacknowledged {
      Objects.requireNonNull(reason, "reason");
    }
  }

  record IncidentMitigated(String note) implements EventData {
    public static final String TYPE = PREFIX + "incident.mitigated";
  }

  record IncidentResolved(String resolution) implements EventData {
    public static final String TYPE = PREFIX + "incident.resolved";
  }

  record IncidentReopened(String reason) implements EventData {
    public static final String TYPE = PREFIX + "incident.reopened";
  }

  record IncidentClosed() implements EventData {
    public static final String TYPE = PREFIX + "incident.closed";
  }

  record IncidentMerged(UUID into) implements EventData {
    public static final String TYPE = PREFIX + "incident.merged";

    public IncidentMerged {
      Objects.requireNonNull(into, "into");
    }
  }

  /** Why an incident was escalated. */
  enum EscalationReason { TIMEOUT, MANUAL }

  record IncidentEscalated(int level, String target, EscalationReason reason) implements EventData {
    public static final String TYPE = PREFIX + "incident.escalated";

    public IncidentEscalated {
      if (level < 1) throw new IllegalArgumentException("level must be >= 1");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(reason, "reason");
    }
  }

  record ResponderAssigned(String responder) implements EventData {
    public static final String TYPE = PREFIX + "responder.assigned";

    public ResponderAssigned {
      Objects.requireNonNull(responder, "responder");
    }
  }

  record ResponderUnassigned(String responder) implements EventData {
    public static final String TYPE = PREFIX + "responder.unassigned";

    public ResponderUnassigned {
      Objects.requireNonNull(responder, "responder");
    }
  }

  record RoleAssigned(Role role, String responder) implements EventData {
    public static final String TYPE = PREFIX + "role.assigned";

    public RoleAssigned {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(responder, "responder");
    }
  }

  record SeverityChanged(Severity severity) implements EventData {
    public static final String TYPE = PREFIX + "severity.changed";

    public SeverityChanged {
      Objects.requireNonNull(severity, "severity");
    }
  }

  record NoteAdded(String text) implements EventData {
    public static final String TYPE = PREFIX + "note.added";

    public NoteAdded {
      Objects.requireNonNull(text, "text");
    }
  }

  record FollowupCreated(String followupId, String title, String owner) implements EventData {
    public static final String TYPE = PREFIX + "followup.created";

    public FollowupCreated {
      Objects.requireNonNull(followupId, "followupId");
      Objects.requireNonNull(title, "title");
    }
  }

  record FollowupCompleted(String followupId) implements EventData {
    public static final String TYPE = PREFIX + "followup.completed";

    public FollowupCompleted {
      Objects.requireNonNull(followupId, "followupId");
    }
  }

  /**
   * A well-formed envelope of a type this version does not know: stored and shown, with no effect
   * (tolerant reader). {@code data} is the raw JSON value, or {@code null} when absent.
   */
  record Unknown(String type, JsonNode data) implements EventData {
    public Unknown {
      Objects.requireNonNull(type, "type");
      data = data == null ? null : data.deepCopy();
    }
  }
}
