package dev.quorum.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.Ids;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CallerTest {
  private static final Event FROM_BODY = Event.of(Ids.newEventId(), "spoofed/source", UUID.randomUUID(),
      Instant.parse("2026-06-15T02:14:07Z"), "user:mallory", new IncidentAcknowledged());

  @Test
  void source_and_actor_come_from_the_caller_not_the_body() {
    Event stamped = new Caller("ops-bot", "ops-bot/prod", "integration:ops-bot", false).stamp(FROM_BODY);
    assertThat(stamped.source()).isEqualTo("ops-bot/prod");
    assertThat(stamped.actor()).isEqualTo("integration:ops-bot");
    assertThat(stamped.principal()).isNull();
    assertThat(stamped.id()).isEqualTo(FROM_BODY.id());
  }

  @Test
  void a_caller_that_may_act_on_behalf_keeps_the_named_actor_and_is_recorded_as_principal() {
    Event stamped = new Caller("pager-bridge", "pager-bridge", "integration:pager-bridge", true).stamp(FROM_BODY);
    assertThat(stamped.source()).isEqualTo("pager-bridge");
    assertThat(stamped.actor()).isEqualTo("user:mallory");
    assertThat(stamped.principal()).isEqualTo("client:pager-bridge");
  }

  @Test
  void a_caller_that_may_act_on_behalf_and_names_itself_needs_no_principal() {
    Caller caller = new Caller("pager-bridge", "pager-bridge", "user:mallory", true);
    assertThat(caller.stamp(FROM_BODY).principal()).isNull();
  }
}
