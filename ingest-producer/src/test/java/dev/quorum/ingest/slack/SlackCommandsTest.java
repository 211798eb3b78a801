package dev.quorum.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.IncidentMitigated;
import dev.quorum.event.EventData.IncidentResolved;
import dev.quorum.event.EventData.IncidentTriggered;
import dev.quorum.event.EventData.IncidentUnacknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.EventData.ResponderAssigned;
import dev.quorum.event.EventData.RoleAssigned;
import dev.quorum.event.EventData.SeverityChanged;
import dev.quorum.event.EventData.UnackReason;
import dev.quorum.event.Ids;
import dev.quorum.event.Role;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.slack.SlackCommands.Outcome;
import dev.quorum.ingest.slack.SlackCommands.Outcome.Answer;
import dev.quorum.ingest.slack.SlackCommands.Outcome.Publish;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SlackCommandsTest {
  private static final UUID INCIDENT = UUID.fromString("8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f");
  private static final UUID OTHER = UUID.fromString("1e2d3c4b-5a69-4788-9a0b-c1d2e3f40516");
  private static final Instant SIGNED_AT = Instant.ofEpochSecond(1_781_489_647);
  private static final String TRIGGER = "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

  private final ChannelBindings bindings = ChannelBindings.inMemory();
  private final SlackCommands commands = new SlackCommands(bindings);

  @Test
  void ack_naming_the_incident_publishes_an_acknowledgement_by_the_signed_user() {
    // When a user acknowledges an incident by id
    Publish publish = publish("ack " + INCIDENT);

    // Then one event acknowledges it, from the workspace, by the user, at the signed time
    Event event = publish.events().getFirst();
    assertThat(publish.events()).hasSize(1);
    assertThat(event.data()).isEqualTo(new IncidentAcknowledged());
    assertThat(event.incidentId()).isEqualTo(INCIDENT);
    assertThat(event.id()).isEqualTo(Ids.derived("slack", TRIGGER, "0"));
    assertThat(event.source()).isEqualTo("slack/T1DC2JH3J");
    assertThat(event.actor()).isEqualTo("user:slack/U2CERLKJA");
    assertThat(event.occurredAt()).isEqualTo(SIGNED_AT);
    assertThat(publish.confirmation()).contains("<@U2CERLKJA>", "acknowledged", INCIDENT.toString());
  }

  @Test
  void a_command_without_incident_acts_on_the_channels_binding() {
    // Given the channel bound to an incident
    assertThat(answer("bind " + INCIDENT)).contains("bound to incident");

    // When commands name no incident, or another one
    Publish resolve = publish("resolve rolled back the deploy");
    Publish other = publish("ack " + OTHER);

    // Then the bound incident is used unless another is named
    assertThat(resolve.events().getFirst().incidentId()).isEqualTo(INCIDENT);
    assertThat(resolve.events().getFirst().data()).isEqualTo(new IncidentResolved("rolled back the deploy"));
    assertThat(other.events().getFirst().incidentId()).isEqualTo(OTHER);
  }

  @Test
  void a_command_without_incident_in_an_unbound_channel_is_answered_with_how_to_name_one() {
    assertThat(answer("ack")).contains("Which incident?", "/incident ack <incident-id>", "/incident bind <incident-id>");
    assertThat(answer("unbind")).contains("was not bound");
  }

  @Test
  void every_action_maps_to_its_event() {
    bindings.bind("T1DC2JH3J", "G8PSS9T3V", INCIDENT);
    assertThat(data("unack")).isEqualTo(new IncidentUnacknowledged(UnackReason.USER));
    assertThat(data("mitigate feature flag off")).isEqualTo(new IncidentMitigated("feature flag off"));
    assertThat(data("mitigate")).isEqualTo(new IncidentMitigated(null));
    assertThat(data("severity sev2")).isEqualTo(new SeverityChanged(Severity.ERROR));
    assertThat(data("severity CRITICAL")).isEqualTo(new SeverityChanged(Severity.CRITICAL));
    assertThat(data("role commander <@U0G9QF9C6|alice>")).isEqualTo(new RoleAssigned(Role.COMMANDER, "user:slack/U0G9QF9C6"));
    assertThat(data("reopen")).extracting(d -> d.type()).isEqualTo("quorum.incident.reopened");
    assertThat(data("close")).extracting(d -> d.type()).isEqualTo("quorum.incident.closed");
  }

  @Test
  void a_note_keeps_its_line_breaks_and_what_slack_escaped() {
    // When a user adds a two-line note with characters Slack escapes
    Publish publish = publish("note " + INCIDENT + " p99 &gt; 2s since 02:10\n  cause: cache &amp; db failover");

    // Then the note holds the text as typed
    assertThat(publish.events().getFirst().data()).isEqualTo(new NoteAdded("p99 > 2s since 02:10\n  cause: cache & db failover"));
  }

  @Test
  void assigning_several_users_emits_one_event_each_with_ids_by_index() {
    // When a user assigns two responders
    Publish publish = publish("assign " + INCIDENT + " <@U0G9QF9C6|alice> <@U1H8RG8D7>");

    // Then there is one event per responder, ids derived from the trigger id and the index
    assertThat(publish.events()).extracting(Event::data).containsExactly(
        new ResponderAssigned("user:slack/U0G9QF9C6"), new ResponderAssigned("user:slack/U1H8RG8D7"));
    assertThat(publish.events()).extracting(Event::id).containsExactly(
        Ids.derived("slack", TRIGGER, "0"), Ids.derived("slack", TRIGGER, "1"));
  }

  @Test
  void declare_opens_an_incident_and_binds_the_channel_once_it_is_recorded() {
    // When a user declares an incident
    Publish publish = publish("declare Checkout is down in eu-west-1");

    // Then it triggers a new incident and asks for the channel to be bound to it on success
    Event event = publish.events().getFirst();
    assertThat(event.data()).isEqualTo(new IncidentTriggered("Checkout is down in eu-west-1", null, null, null));
    assertThat(event.incidentId()).isEqualTo(Ids.derived("slack", TRIGGER)).isNotEqualTo(event.id());
    assertThat(publish.bindOnSuccess()).isEqualTo(new SlackCommands.Binding("T1DC2JH3J", "G8PSS9T3V", event.incidentId()));
    assertThat(bindings.lookup("T1DC2JH3J", "G8PSS9T3V")).isEmpty();
  }

  @Test
  void the_same_command_sent_twice_maps_to_the_same_events() {
    assertThat(publish("note " + INCIDENT + " hello").events()).isEqualTo(publish("note " + INCIDENT + " hello").events());
  }

  @Test
  void status_help_and_mistakes_are_answered_to_the_user_alone() {
    assertThat(answer("")).contains("declare <title>", "severity");
    assertThat(answer("help")).contains("bind <incident-id>");
    assertThat(answer("status " + INCIDENT)).contains(INCIDENT.toString(), "projection");
    assertThat(answer("frobnicate")).contains("I do not know `frobnicate`");
    assertThat(answer("note " + INCIDENT)).contains("needs some text");
    assertThat(answer("severity " + INCIDENT + " apocalyptic")).contains("Usage");
    assertThat(answer("assign " + INCIDENT + " <#C024BE7LR|general>")).contains("is not a Slack user");
    assertThat(answer("role " + INCIDENT + " janitor <@U0G9QF9C6>")).contains("Usage");
    assertThat(answer("declare")).contains("needs a title");
    assertThat(answer("bind not-a-uuid")).contains("Usage");
  }

  @Test
  void every_published_event_survives_the_codec() {
    bindings.bind("T1DC2JH3J", "G8PSS9T3V", INCIDENT);
    for (String text : List.of("ack", "resolve " + "x".repeat(7_000), "note " + "\u00e9".repeat(5), "declare " + "t".repeat(3000))) {
      for (Event event : publish(text).events()) {
        assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
      }
    }
  }

  @Test
  void a_form_without_the_fields_slack_always_sends_is_refused() {
    Map<String, List<String>> form = form("ack");
    form.remove("trigger_id");
    assertThatThrownBy(() -> SlashCommand.from(form))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().path()).isEqualTo("trigger_id"));
    Map<String, List<String>> slashed = form("ack");
    slashed.put("team_id", List.of("T1/../x"));
    assertThatThrownBy(() -> SlashCommand.from(slashed)).isInstanceOf(InvalidInput.class);
  }

  private Publish publish(String text) {
    Outcome outcome = commands.interpret(SlashCommand.from(form(text)), SIGNED_AT);
    assertThat(outcome).isInstanceOf(Publish.class);
    return (Publish) outcome;
  }

  private String answer(String text) {
    Outcome outcome = commands.interpret(SlashCommand.from(form(text)), SIGNED_AT);
    assertThat(outcome).isInstanceOf(Answer.class);
    return ((Answer) outcome).text();
  }

  private dev.quorum.event.EventData data(String text) {
    return publish(text).events().getFirst().data();
  }

  static Map<String, List<String>> form(String text) {
    Map<String, List<String>> form = new HashMap<>();
    form.put("token", List.of("xyzz0WbapA4vBCDEFasx0q6G"));
    form.put("team_id", List.of("T1DC2JH3J"));
    form.put("team_domain", List.of("testteamnow"));
    form.put("channel_id", List.of("G8PSS9T3V"));
    form.put("channel_name", List.of("foobar"));
    form.put("user_id", List.of("U2CERLKJA"));
    form.put("user_name", List.of("roadrunner"));
    form.put("command", List.of("/incident"));
    form.put("text", List.of(text));
    form.put("response_url", List.of("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"));
    form.put("trigger_id", List.of(TRIGGER));
    return form;
  }
}
