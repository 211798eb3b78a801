package dev.quorum.ingest.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.Ids;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.InvalidInput.Violation;
import dev.quorum.ingest.Samples;
import dev.quorum.ingest.pagerduty.PagerDutyEvent.Translation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PagerDutyEventTest {
  private static final Caller MONITOR = new Caller("nagios-bridge", "pagerduty/nagios", "integration:nagios", false);
  private static final Instant RECEIVED = Instant.parse("2026-06-15T02:14:07.123Z");
  private static final Supplier<String> NO_NEW_KEY = () -> {
    throw new AssertionError("no dedup key should be generated");
  };

  @Test
  void the_documented_trigger_fires_a_signal_named_by_its_dedup_key() {
    // Given PagerDuty's documented trigger example
    byte[] body = Samples.bytes("pagerduty/trigger.json");

    // When it is translated
    Translation translation = PagerDutyEvent.translate(body, MONITOR, RECEIVED, NO_NEW_KEY);

    // Then it fires the signal of the dedup key, at the payload's timestamp, with ids as DESIGN §3 says
    Event event = translation.event();
    assertThat(translation.dedupKey()).isEqualTo("samplekeyhere");
    assertThat(event.incidentId()).isEqualTo(Ids.derived("pd", "nagios-bridge", "samplekeyhere"));
    assertThat(event.id()).isEqualTo(Ids.derived("pd", "nagios-bridge", "samplekeyhere", "trigger", "2015-07-17T08:42:58.315Z"));
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2015-07-17T08:42:58.315Z"));
    assertThat(event.source()).isEqualTo("pagerduty/nagios");
    assertThat(event.actor()).isEqualTo("integration:nagios");
    assertThat(event.data()).isInstanceOfSatisfying(AlertFired.class, fired -> {
      assertThat(fired.fingerprint()).isEqualTo("samplekeyhere");
      assertThat(fired.title()).isEqualTo("Example alert on host1.example.com");
      assertThat(fired.service()).isEqualTo("monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003");
      assertThat(fired.severity()).isEqualTo(Severity.INFO);
      assertThat(fired.labels()).containsEntry("component", "postgres").containsEntry("group", "prod-datapipe")
          .containsEntry("class", "deploy");
    });
    assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
  }

  @Test
  void ids_come_from_the_authenticated_client_so_a_rotated_routing_key_keeps_the_open_incident() {
    // Given the documented trigger, sent before and after the integration's routing key was rotated
    byte[] before = Samples.bytes("pagerduty/trigger.json");
    byte[] after = Samples.text("pagerduty/trigger.json").replace("\"routing_key\": \"samplekeyhere\"", "\"routing_key\": \"rotated-key-2\"")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    // When both are translated for the same client
    Event first = PagerDutyEvent.translate(before, MONITOR, RECEIVED, NO_NEW_KEY).event();
    Event second = PagerDutyEvent.translate(after, MONITOR, RECEIVED, NO_NEW_KEY).event();

    // Then they name the same incident and event, and another client's equal dedup key names another incident
    Event other = PagerDutyEvent.translate(before, new Caller("zabbix", "pagerduty/zabbix", "integration:zabbix", false),
        RECEIVED, NO_NEW_KEY).event();
    assertThat(new String(after, java.nio.charset.StandardCharsets.UTF_8)).contains("rotated-key-2");
    assertThat(second.incidentId()).isEqualTo(first.incidentId());
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(other.incidentId()).isNotEqualTo(first.incidentId());
  }

  @Test
  void a_trigger_without_dedup_key_gets_a_generated_one_and_the_receive_time() {
    // Given a trigger with neither dedup_key nor timestamp
    byte[] body = Samples.bytes("pagerduty/trigger-minimal.json");

    // When it is translated
    Translation translation = PagerDutyEvent.translate(body, MONITOR, RECEIVED, () -> "c0ffee");

    // Then the generated key names the signal and the incident, and the receive time dates it
    assertThat(translation.dedupKey()).isEqualTo("c0ffee");
    assertThat(translation.event().incidentId()).isEqualTo(Ids.derived("pd", "nagios-bridge", "c0ffee"));
    assertThat(translation.event().id()).isEqualTo(Ids.derived("pd", "nagios-bridge", "c0ffee", "trigger", RECEIVED.toString()));
    assertThat(translation.event().occurredAt()).isEqualTo(RECEIVED);
    assertThat(((AlertFired) translation.event().data()).severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void acknowledge_and_resolve_act_on_the_incident_of_the_dedup_key() {
    // Given the documented acknowledge and resolve bodies
    Event trigger = PagerDutyEvent.translate(Samples.bytes("pagerduty/trigger.json"), MONITOR, RECEIVED, NO_NEW_KEY).event();

    // When they are translated
    Event ack = PagerDutyEvent.translate(Samples.bytes("pagerduty/acknowledge.json"), MONITOR, RECEIVED, NO_NEW_KEY).event();
    Event resolve = PagerDutyEvent.translate(Samples.bytes("pagerduty/resolve.json"), MONITOR, RECEIVED.plusSeconds(60), NO_NEW_KEY).event();

    // Then the acknowledgement acknowledges, the resolve resolves the signal by source, all on one incident
    assertThat(ack.data()).isEqualTo(new IncidentAcknowledged());
    assertThat(resolve.data()).isEqualTo(new AlertResolved("samplekeyhere"));
    assertThat(ack.incidentId()).isEqualTo(trigger.incidentId()).isEqualTo(resolve.incidentId());
    assertThat(ack.id()).isEqualTo(Ids.derived("pd", "nagios-bridge", "samplekeyhere", "acknowledge", RECEIVED.toString()));
  }

  @Test
  void the_same_trigger_sent_twice_maps_to_the_same_event() {
    // Given the documented trigger (it carries a timestamp), received twice
    byte[] body = Samples.bytes("pagerduty/trigger.json");

    // When both are translated
    Event first = PagerDutyEvent.translate(body, MONITOR, RECEIVED, NO_NEW_KEY).event();
    Event second = PagerDutyEvent.translate(body, MONITOR, RECEIVED.plusSeconds(30), NO_NEW_KEY).event();

    // Then they are one event
    assertThat(second).isEqualTo(first);
  }

  @Test
  void an_invalid_event_lists_every_invalid_field() {
    // Given a trigger without routing key whose payload lacks a summary and has an unknown severity
    String body = """
        {"event_action": "trigger", "payload": {"source": "db-1", "severity": "fatal"}}""";

    // Then every violation is reported, each naming its field
    assertThatThrownBy(() -> translate(body))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.violations()).extracting(Violation::path)
            .containsExactly("$.routing_key", "$.payload.summary", "$.payload.severity"));
  }

  @Test
  void the_documented_error_cases_are_refused() {
    assertRefused("{\"routing_key\": \"k\", \"dedup_key\": \"d\"}", "$.event_action");
    assertRefused("{\"routing_key\": \"k\", \"dedup_key\": \"d\", \"event_action\": \"snooze\"}", "$.event_action");
    assertRefused("{\"routing_key\": \"k\", \"event_action\": \"acknowledge\"}", "$.dedup_key");
    assertRefused("{\"routing_key\": \"k\", \"event_action\": \"resolve\", \"dedup_key\": \"  \"}", "$.dedup_key");
    assertRefused("{\"routing_key\": \"k\", \"event_action\": \"trigger\"}", "$.payload");
    assertRefused("{\"routing_key\": \"k\", \"dedup_key\": \"" + "d".repeat(256) + "\", \"event_action\": \"resolve\"}", "$.dedup_key");
    assertRefused(Samples.text("pagerduty/trigger.json").replace("2015-07-17T08:42:58.315+0000", "last tuesday"), "$.payload.timestamp");
    assertRefused(Samples.text("pagerduty/trigger.json").replace("\"summary\": \"Example alert on host1.example.com\"",
        "\"summary\": \"" + "s".repeat(1025) + "\""), "$.payload.summary");
    assertRefused("{\"routing_key\": 42, \"dedup_key\": \"d\", \"event_action\": \"resolve\"}", "$.routing_key");
    assertRefused("[\"trigger\"]", "$");
    assertRefused("not json", "$");
  }

  private static Translation translate(String body) {
    return PagerDutyEvent.translate(body.getBytes(StandardCharsets.UTF_8), MONITOR, RECEIVED, () -> "generated");
  }

  private static void assertRefused(String body, String path) {
    assertThatThrownBy(() -> translate(body))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().path()).isEqualTo(path));
  }
}
