package dev.quorum.ingest.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.Ids;
import dev.quorum.event.Limits;
import dev.quorum.event.Severity;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.JsonFields;
import dev.quorum.ingest.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Maps an Alertmanager webhook (payload version 4) to one event per alert transition, with ids derived
 * as DESIGN §3 says, so that a re-sent webhook (retries, repeat intervals, HA peers) maps to the same events.
 */
public final class AlertmanagerWebhook {
  /** The only payload version Alertmanager has sent since 0.9. */
  public static final String VERSION = "4";
  /** The id tag of this integration. */
  public static final String TAG = "am";
  /** Alertmanager's time for "not set" (Go's zero time), sent as {@code endsAt} of firing alerts. */
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  /** The events of one webhook, and how many alerts Alertmanager left out of it ({@code max_alerts}). */
  public record Translation(List<Event> events, long truncatedAlerts) {
    public Translation {
      events = List.copyOf(events);
    }
  }

  private AlertmanagerWebhook() {}

  /**
   * Translates a webhook body.
   *
   * @param body the raw JSON body
   * @param caller the authenticated Alertmanager: the events' source and actor
   * @param receivedAt when the gateway received it: the time of a resolve that carries no {@code endsAt}
   * @throws InvalidInput naming the first field that is not what Alertmanager sends
   */
  public static Translation translate(byte[] body, Caller caller, Instant receivedAt) {
    JsonFields webhook = JsonFields.of(JsonFields.parse(body), "$");
    String version = webhook.text("version", 16);
    if (!VERSION.equals(version)) {
      throw new InvalidInput(webhook.path("version"), "must be \"" + VERSION + "\", was \"" + JsonFields.abbreviate(version) + "\"");
    }
    String receiver = webhook.text("receiver", Limits.SHORT_TEXT);
    String groupKey = webhook.text("groupKey", Limits.LONG_TEXT);
    status(webhook, "status");
    long truncated = webhook.optCount("truncatedAlerts", 0);
    List<JsonNode> alerts = webhook.array("alerts");
    if (alerts.isEmpty() && truncated == 0) {
      throw new InvalidInput(webhook.path("alerts"), "must hold at least one alert");
    }
    UUID incidentId = Ids.derived(TAG, receiver, groupKey);
    List<Event> events = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      JsonFields alert = JsonFields.of(alerts.get(i), webhook.path("alerts") + "[" + i + "]");
      events.add(event(alert, groupKey, incidentId, caller, receivedAt));
    }
    return new Translation(events, truncated);
  }

  private static Event event(JsonFields alert, String groupKey, UUID incidentId, Caller caller, Instant receivedAt) {
    String status = status(alert, "status");
    String fingerprint = alert.text("fingerprint", Limits.SHORT_TEXT);
    Instant startsAt = alert.instant("startsAt");
    Instant endsAt = alert.optInstant("endsAt");
    Map<String, String> labels = alert.stringMap("labels");
    // annotations and generatorURL are not kept (see the README): whatever they hold, a long PromQL
    // query in the URL or a templated annotation, must never cost the webhook its other alerts

    // startsAt enters the id in one canonical form, so that peers formatting the same instant
    // differently (offset, fraction digits) still derive the same id
    UUID id = Ids.derived(TAG, groupKey, fingerprint, startsAt.toString(), status);
    boolean firing = status.equals("firing");
    EventData data = firing
        ? new AlertFired(fingerprint, title(labels, fingerprint), service(labels), severity(labels), fitted(labels))
        : new AlertResolved(fingerprint);
    Instant occurredAt = firing ? startsAt : endsAt != null && endsAt.isAfter(GO_ZERO_TIME) ? endsAt : receivedAt;
    return Event.of(id, caller.source(), incidentId, occurredAt, caller.actor(), data);
  }

  private static String status(JsonFields object, String field) {
    String status = object.text(field, 16);
    if (!status.equals("firing") && !status.equals("resolved")) {
      throw new InvalidInput(object.path(field), "must be firing or resolved, was \"" + JsonFields.abbreviate(status) + "\"");
    }
    return status;
  }

  /**
   * The title comes from the alert's labels, which its fingerprint covers, never from annotations:
   * a summary templated with {@code $value} changes between repeat notifications of one transition,
   * which share an event id, and would turn Alertmanager's normal re-sends into conflicting duplicates.
   */
  private static String title(Map<String, String> labels, String fingerprint) {
    String alertname = Texts.nonBlank(labels.get("alertname"));
    if (alertname != null) return Texts.clip(alertname, Limits.TITLE);
    return "alert " + fingerprint;
  }

  private static String service(Map<String, String> labels) {
    for (String key : List.of("service", "job")) {
      String value = Texts.nonBlank(labels.get(key));
      if (value != null) return Texts.clip(value, Limits.SHORT_TEXT);
    }
    return null;
  }

  private static Severity severity(Map<String, String> labels) {
    String value = labels.get("severity");
    if (value == null) return null;
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "critical", "page" -> Severity.CRITICAL;
      case "error" -> Severity.ERROR;
      case "warning", "warn" -> Severity.WARNING;
      case "info", "informational" -> Severity.INFO;
      default -> null;
    };
  }

  /**
   * The labels within the event's limits: Alertmanager has no such limits, and a signal must not be
   * refused for an exotic label, so the first labels by name are kept and long values are clipped.
   */
  private static Map<String, String> fitted(Map<String, String> labels) {
    TreeMap<String, String> fitted = new TreeMap<>();
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      if (fitted.size() == Limits.MAX_LABELS) break;
      String key = label.getKey();
      if (key.isEmpty() || key.length() > Limits.SHORT_TEXT) continue;
      fitted.put(key, Texts.clip(label.getValue(), Limits.TITLE));
    }
    return fitted;
  }
}
