package dev.quorum.ingest.pagerduty;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.Ids;
import dev.quorum.event.Limits;
import dev.quorum.event.Severity;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.InvalidInput.Violation;
import dev.quorum.ingest.JsonFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Maps a PagerDuty Events API v2 body (trigger, acknowledge, resolve) to an event, with ids derived as
 * DESIGN §3 says; a resolve is "resolved by source", so it resolves the signal named by the dedup key.
 */
public final class PagerDutyEvent {
  /** The id tag of this integration. */
  public static final String TAG = "pd";
  /** PagerDuty's limit on {@code dedup_key}. */
  public static final int MAX_DEDUP_KEY = 255;
  /** PagerDuty's limit on {@code payload.summary}. */
  public static final int MAX_SUMMARY = 1024;
  private static final List<String> ACTIONS = List.of("trigger", "acknowledge", "resolve");

  /** The event of one body, and the dedup key to answer with (generated for a trigger without one). */
  public record Translation(Event event, String dedupKey) {}

  private PagerDutyEvent() {}

  /**
   * Translates an Events API v2 body.
   *
   * @param body the raw JSON body
   * @param caller the authenticated sender: the event's source and actor
   * @param receivedAt when the gateway received it: the time of an event without {@code payload.timestamp}
   * @param newDedupKey makes the dedup key of a trigger that has none, as PagerDuty does
   * @throws InvalidInput with every violation found, each naming its field
   */
  public static Translation translate(byte[] body, Caller caller, Instant receivedAt, Supplier<String> newDedupKey) {
    JsonFields event = JsonFields.of(JsonFields.parse(body), "$");
    List<Violation> violations = new ArrayList<>();
    // read for its shape only: the key is a credential, and ids must survive rotating it
    check(violations, () -> event.text("routing_key", Limits.SHORT_TEXT));
    String action = check(violations, () -> action(event));
    String dedupKey = check(violations, () -> dedupKey(event, action));
    Payload payload = "trigger".equals(action) ? check(violations, () -> payload(event)) : null;
    if (!violations.isEmpty()) throw new InvalidInput(violations);

    if (dedupKey == null) dedupKey = newDedupKey.get();
    Instant timestamp = payload != null && payload.timestamp() != null ? payload.timestamp() : receivedAt;
    // the authenticated client names the integration: a rotated routing key keeps its open incidents
    UUID incidentId = Ids.derived(TAG, caller.clientId(), dedupKey);
    UUID id = Ids.derived(TAG, caller.clientId(), dedupKey, action, timestamp.toString());
    EventData data = switch (action) {
      case "trigger" -> new AlertFired(dedupKey, payload.summary(), payload.source(), payload.severity(), payload.labels());
      case "acknowledge" -> new IncidentAcknowledged();
      default -> new AlertResolved(dedupKey);
    };
    return new Translation(Event.of(id, caller.source(), incidentId, timestamp, caller.actor(), data), dedupKey);
  }

  private record Payload(String summary, String source, Severity severity, Instant timestamp, Map<String, String> labels) {}

  private static String action(JsonFields event) {
    String action = event.text("event_action", 32);
    if (!ACTIONS.contains(action)) {
      throw new InvalidInput(event.path("event_action"), "must be one of trigger, acknowledge, resolve, was \""
          + JsonFields.abbreviate(action) + "\"");
    }
    return action;
  }

  private static String dedupKey(JsonFields event, String action) {
    String key = event.optText("dedup_key", MAX_DEDUP_KEY);
    if (key != null && key.isBlank()) key = null;
    if (key == null && action != null && !action.equals("trigger")) {
      throw new InvalidInput(event.path("dedup_key"), "is required to " + action);
    }
    return key;
  }

  private static Payload payload(JsonFields event) {
    JsonFields payload = event.object("payload");
    List<Violation> violations = new ArrayList<>();
    String summary = check(violations, () -> payload.text("summary", MAX_SUMMARY));
    String source = check(violations, () -> payload.text("source", Limits.SHORT_TEXT - 1));
    Severity severity = check(violations, () -> severity(payload));
    Instant timestamp = check(violations, () -> payload.optInstant("timestamp"));
    Map<String, String> labels = new LinkedHashMap<>();
    for (String field : List.of("component", "group", "class")) {
      String value = check(violations, () -> payload.optText(field, Limits.SHORT_TEXT - 1));
      if (value != null && !value.isBlank()) labels.put(field, value);
    }
    if (!violations.isEmpty()) throw new InvalidInput(violations);
    if (source != null) labels.put("source", source);
    return new Payload(summary.strip(), source.strip(), severity, timestamp, labels);
  }

  private static Severity severity(JsonFields payload) {
    String value = payload.text("severity", 32);
    return switch (value) {
      case "critical" -> Severity.CRITICAL;
      case "error" -> Severity.ERROR;
      case "warning" -> Severity.WARNING;
      case "info" -> Severity.INFO;
      default -> throw new InvalidInput(payload.path("severity"),
          "must be one of critical, error, warning, info, was \"" + JsonFields.abbreviate(value) + "\"");
    };
  }

  /** Runs one check, collecting its violations, so that the answer lists every invalid field as PagerDuty does. */
  private static <T> T check(List<Violation> violations, Supplier<T> read) {
    try {
      return read.get();
    } catch (InvalidInput e) {
      violations.addAll(e.violations());
      return null;
    }
  }
}
