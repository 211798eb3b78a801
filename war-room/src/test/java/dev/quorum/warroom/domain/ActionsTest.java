package dev.quorum.warroom.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.EventData;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ActionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void each_action_becomes_its_event() throws Exception {
    assertThat(Actions.data(json("{\"action\":\"acknowledge\"}"), "user:alice")).isEqualTo(new EventData.IncidentAcknowledged());
    assertThat(Actions.data(json("{\"action\":\"resolve\",\"text\":\"rolled back\"}"), "user:alice"))
        .isEqualTo(new EventData.IncidentResolved("rolled back"));
    assertThat(Actions.data(json("{\"action\":\"reopen\"}"), "user:alice")).isEqualTo(new EventData.IncidentReopened(null));
    assertThat(Actions.data(json("{\"action\":\"note\",\"text\":\" rolling back \"}"), "user:alice"))
        .isEqualTo(new EventData.NoteAdded("rolling back"));
    assertThat(Actions.data(json("{\"action\":\"assign\",\"responder\":\"user:bob\"}"), "user:alice"))
        .isEqualTo(new EventData.ResponderAssigned("user:bob"));
    assertThat(Actions.data(json("{\"action\":\"severity\",\"severity\":\"warning\"}"), "user:alice"))
        .isEqualTo(new EventData.SeverityChanged(Severity.WARNING));
    assertThat(Actions.data(json("{\"action\":\"complete-followup\",\"followupId\":\"f-1\"}"), "user:alice"))
        .isEqualTo(new EventData.FollowupCompleted("f-1"));
    EventData followup = Actions.data(json("{\"action\":\"add-followup\",\"title\":\"Add an alert\",\"owner\":\"user:bob\"}"), "user:alice");
    assertThat(followup).isInstanceOfSatisfying(EventData.FollowupCreated.class, f -> {
      assertThat(f.title()).isEqualTo("Add an alert");
      assertThat(f.owner()).isEqualTo("user:bob");
      assertThat(f.followupId()).startsWith("f-");
    });
  }

  @Test
  void taking_a_role_names_the_signed_in_responder_not_anyone_the_page_names() throws Exception {
    assertThat(Actions.data(json("{\"action\":\"take-role\",\"role\":\"commander\"}"), "user:alice"))
        .isEqualTo(new EventData.RoleAssigned(Role.COMMANDER, "user:alice"));
    assertThatThrownBy(() -> Actions.data(json("{\"action\":\"take-role\",\"role\":\"commander\",\"responder\":\"user:bob\"}"), "user:alice"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.field()).isEqualTo("responder"));
  }

  @Test
  void the_page_cannot_name_the_actor_the_source_or_the_principal() {
    for (String field : new String[] {"actor", "source", "principal"}) {
      assertThatThrownBy(() -> Actions.data(json("{\"action\":\"acknowledge\",\"" + field + "\":\"user:mallory\"}"), "user:alice"))
          .isInstanceOfSatisfying(InvalidAction.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains("the actor is the signed-in responder");
          });
    }
  }

  @Test
  void bad_requests_name_the_field() {
    assertThatThrownBy(() -> Actions.data(json("{\"action\":\"note\"}"), "a"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.field()).isEqualTo("text"));
    assertThatThrownBy(() -> Actions.data(json("{\"action\":\"note\",\"text\":42}"), "a"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.getMessage()).isEqualTo("must be text"));
    assertThatThrownBy(() -> Actions.data(json("{\"action\":\"note\",\"text\":\"" + "x".repeat(16 * 1024 + 1) + "\"}"), "a"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.field()).isEqualTo("text"));
    assertThatThrownBy(() -> Actions.data(json("{\"action\":\"merge\"}"), "a"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.field()).isEqualTo("action"));
    assertThatThrownBy(() -> Actions.data(json("{\"action\":\"severity\",\"severity\":\"apocalyptic\"}"), "a"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.field()).isEqualTo("severity"));
    assertThatThrownBy(() -> Actions.data(json("[]"), "a"))
        .isInstanceOfSatisfying(InvalidAction.class, e -> assertThat(e.field()).isEqualTo("$"));
  }

  @Test
  void the_event_carries_no_source_actor_or_principal_and_decodes_once_the_gateway_stamps_them() {
    UUID incident = UUID.randomUUID();
    UUID id = UUID.randomUUID();
    ObjectNode event = Actions.event(incident, new EventData.NoteAdded("hello"), id, Instant.parse("2026-11-27T08:00:00Z"));

    assertThat(event.has("source")).isFalse();
    assertThat(event.has("actor")).isFalse();
    assertThat(event.has("principal")).isFalse();
    assertThat(event.get("type").asText()).isEqualTo("quorum.note.added");
    assertThat(event.get("subject").asText()).isEqualTo(incident.toString());
    event.put("source", "local/war-room").put("actor", "user:alice");
    assertThat(EventCodec.fromTree(event).data()).isEqualTo(new EventData.NoteAdded("hello"));
  }
}
