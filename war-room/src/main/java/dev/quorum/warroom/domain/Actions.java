package dev.quorum.warroom.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Limits;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a responder can do from the war room, as events for the gateway's {@code /v1/events}. The page
 * names the action and its few fields; it never names the actor or the source: the gateway stamps both
 * from the responder's token, and "take a role" names the signed-in responder, known from the session.
 */
public final class Actions {
  /** The fields each action takes; any other field is refused. */
  private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
      Map.entry("acknowledge", Set.of()),
      Map.entry("mitigate", Set.of("text")),
      Map.entry("resolve", Set.of("text")),
      Map.entry("reopen", Set.of("text")),
      Map.entry("note", Set.of("text")),
      Map.entry("assign", Set.of("responder")),
      Map.entry("unassign", Set.of("responder")),
      Map.entry("take-role", Set.of("role")),
      Map.entry("severity", Set.of("severity")),
      Map.entry("add-followup", Set.of("title", "owner")),
      Map.entry("complete-followup", Set.of("followupId")));

  private Actions() {}

  /** The action names, for the page and the problem text. */
  public static Set<String> names() {
    return FIELDS.keySet();
  }

  /**
   * The event one action request makes.
   *
   * @param request the page's JSON: {@code {"action": "note", "text": "..."}}
   * @param responder the signed-in responder (the token's actor), who takes a role
   * @throws InvalidAction naming the field that is missing, unknown or invalid
   */
  public static EventData data(JsonNode request, String responder) {
    if (request == null || !request.isObject()) throw new InvalidAction("$", "must be a JSON object");
    String action = text(request, "action", true, Limits.SHORT_TEXT);
    Set<String> allowed = FIELDS.get(action);
    if (allowed == null) {
      throw new InvalidAction("action", "unknown action " + abbreviate(action) + "; one of " + String.join(", ", new java.util.TreeSet<>(names())));
    }
    for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("action") && !allowed.contains(name)) {
        throw new InvalidAction(abbreviate(name), "is not a field of " + action
            + (name.equals("actor") || name.equals("source") || name.equals("principal")
                ? " (the actor is the signed-in responder)" : ""));
      }
    }
    return switch (action) {
      case "acknowledge" -> new EventData.IncidentAcknowledged();
      case "mitigate" -> new EventData.IncidentMitigated(text(request, "text", false, Limits.LONG_TEXT));
      case "resolve" -> new EventData.IncidentResolved(text(request, "text", false, Limits.LONG_TEXT));
      case "reopen" -> new EventData.IncidentReopened(text(request, "text", false, Limits.LONG_TEXT));
      case "note" -> new EventData.NoteAdded(text(request, "text", true, Limits.LONG_TEXT));
      case "assign" -> new EventData.ResponderAssigned(text(request, "responder", true, Limits.SHORT_TEXT));
      case "unassign" -> new EventData.ResponderUnassigned(text(request, "responder", true, Limits.SHORT_TEXT));
      case "take-role" -> new EventData.RoleAssigned(choice(request, "role", Role.class, Role::wire), responder);
      case "severity" -> new EventData.SeverityChanged(choice(request, "severity", Severity.class, Severity::wire));
      case "add-followup" -> new EventData.FollowupCreated("f-" + UUID.randomUUID().toString().substring(0, 8),
          text(request, "title", true, Limits.TITLE), text(request, "owner", false, Limits.SHORT_TEXT));
      case "complete-followup" -> new EventData.FollowupCompleted(text(request, "followupId", true, Limits.SHORT_TEXT));
      default -> throw new IllegalStateException("every action in FIELDS has a case: " + action);
    };
  }

  /**
   * The CloudEvent to send: no {@code source}, {@code actor} or {@code principal} (the gateway sets them
   * from the token).
   */
  public static ObjectNode event(UUID incidentId, EventData data, UUID eventId, Instant now) {
    // source and actor are placeholders the envelope requires; they are removed before sending
    ObjectNode tree = EventCodec.toTree(new Event(eventId, "war-room", incidentId, now, "war-room", null, data, null));
    tree.remove("source");
    tree.remove("actor");
    tree.remove("principal");
    return tree;
  }

  private static String text(JsonNode request, String field, boolean required, int maxLength) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
      if (required) throw new InvalidAction(field, "is required");
      return null;
    }
    if (!node.isTextual()) throw new InvalidAction(field, "must be text");
    String value = node.asText().strip();
    if (value.length() > maxLength) throw new InvalidAction(field, "is longer than " + maxLength + " characters");
    return value;
  }

  private static <E extends Enum<E>> E choice(JsonNode request, String field, Class<E> type, Function<E, String> wire) {
    String value = text(request, field, true, Limits.SHORT_TEXT);
    for (E candidate : type.getEnumConstants()) {
      if (wire.apply(candidate).equals(value.toLowerCase(Locale.ROOT))) return candidate;
    }
    throw new InvalidAction(field, "must be one of " + java.util.Arrays.stream(type.getEnumConstants()).map(wire).toList());
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
