package dev.quorum.ingest.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.event.Event;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.AlertResolved;
import dev.quorum.event.Ids;
import dev.quorum.event.Severity;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.Caller;
import dev.quorum.ingest.InvalidInput;
import dev.quorum.ingest.Samples;
import dev.quorum.ingest.alertmanager.AlertmanagerWebhook.Translation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertmanagerWebhookTest {
  private static final Caller ALERTMANAGER = new Caller("am-prod-eu", "alertmanager/prod-eu", "integration:alertmanager", false);
  private static final Instant RECEIVED = Instant.parse("2026-06-15T02:40:00Z");
  private static final String GROUP_KEY = "{}/{severity=\"critical\"}:{alertname=\"HighErrorRate\", service=\"checkout\"}";

  @Test
  void a_firing_alert_becomes_an_alert_fired_event_with_ids_derived_from_the_group_and_the_alert() {
    // Given the webhook Alertmanager sends when an alert starts firing
    byte[] body = Samples.bytes("alertmanager/firing.json");

    // When it is translated
    Translation translation = AlertmanagerWebhook.translate(body, ALERTMANAGER, RECEIVED);

    // Then one event fires the signal, on the incident of the receiver and group
    assertThat(translation.truncatedAlerts()).isZero();
    assertThat(translation.events()).hasSize(1);
    Event event = translation.events().getFirst();
    assertThat(event.incidentId()).isEqualTo(Ids.derived("am", "quorum", GROUP_KEY));
    assertThat(event.id()).isEqualTo(Ids.derived("am", GROUP_KEY, "3f9c9d5d2c8e4a17", "2026-06-15T02:10:37.512815313Z", "firing"));
    assertThat(event.source()).isEqualTo("alertmanager/prod-eu");
    assertThat(event.actor()).isEqualTo("integration:alertmanager");
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-06-15T02:10:37.512815Z"));
    assertThat(event.data()).isInstanceOfSatisfying(AlertFired.class, fired -> {
      assertThat(fired.fingerprint()).isEqualTo("3f9c9d5d2c8e4a17");
      assertThat(fired.title()).isEqualTo("HighErrorRate");
      assertThat(fired.service()).isEqualTo("checkout");
      assertThat(fired.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(fired.labels()).containsEntry("instance", "checkout-7f9c6d5b8-x2k4q:8080").hasSize(5);
    });
    assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
  }

  @Test
  void a_resolved_alert_becomes_an_alert_resolved_event_at_its_end_time_on_the_same_incident() {
    // Given the firing and the resolved webhook of one alert
    Event fired = AlertmanagerWebhook.translate(Samples.bytes("alertmanager/firing.json"), ALERTMANAGER, RECEIVED).events().getFirst();

    // When the resolved one is translated
    Event resolved = AlertmanagerWebhook.translate(Samples.bytes("alertmanager/resolved.json"), ALERTMANAGER, RECEIVED).events().getFirst();

    // Then it resolves the same signal on the same incident, as a different event, at endsAt
    assertThat(resolved.data()).isEqualTo(new AlertResolved("3f9c9d5d2c8e4a17"));
    assertThat(resolved.incidentId()).isEqualTo(fired.incidentId());
    assertThat(resolved.id()).isNotEqualTo(fired.id())
        .isEqualTo(Ids.derived("am", GROUP_KEY, "3f9c9d5d2c8e4a17", "2026-06-15T02:10:37.512815313Z", "resolved"));
    assertThat(resolved.occurredAt()).isEqualTo(Instant.parse("2026-06-15T02:31:07.512815Z"));
  }

  @Test
  void several_alerts_in_a_group_become_one_event_each_on_one_incident() {
    // Given a group of two firing alerts and one resolved alert
    byte[] body = Samples.bytes("alertmanager/group.json");

    // When it is translated
    List<Event> events = AlertmanagerWebhook.translate(body, ALERTMANAGER, RECEIVED).events();

    // Then each alert transition is its own event, all on the group's incident
    assertThat(events).extracting(Event::type).containsExactly(AlertFired.TYPE, AlertFired.TYPE, AlertResolved.TYPE);
    assertThat(events).extracting(Event::incidentId).containsOnly(
        Ids.derived("am", "quorum", "{}:{alertname=\"KubePodCrashLooping\", namespace=\"payments\"}"));
    assertThat(events).extracting(Event::id).doesNotHaveDuplicates();
    assertThat(((AlertFired) events.getFirst().data()).severity()).isEqualTo(Severity.WARNING);
    assertThat(((AlertFired) events.getFirst().data()).service()).isNull();
  }

  @Test
  void a_truncated_webhook_publishes_the_alerts_it_carries_and_reports_how_many_were_left_out() {
    // Given a webhook from which Alertmanager left out three alerts (max_alerts)
    byte[] body = Samples.bytes("alertmanager/truncated.json");

    // When it is translated
    Translation translation = AlertmanagerWebhook.translate(body, ALERTMANAGER, RECEIVED);

    // Then the two alerts it carries become events and the truncation is reported
    assertThat(translation.events()).hasSize(2);
    assertThat(translation.truncatedAlerts()).isEqualTo(3);
  }

  @Test
  void fields_quorum_does_not_keep_never_cost_the_webhook_its_alerts() {
    // Given a group whose generator URL is a 20 KiB query and whose annotations hold what the log could not store
    String longQuery = "http://prometheus-0:9090/graph?g0.expr=" + "sum+by%28service%29+".repeat(1024);
    String body = Samples.text("alertmanager/firing.json")
        .replaceFirst("\"generatorURL\": \"[^\"]*\"", "\"generatorURL\": \"" + longQuery + "\"")
        .replaceFirst("\"annotations\": \\{", "\"annotations\": {\"runbook\": \"\\\\u0000\", \"n\": 5, ");

    // When it is translated
    var translation = AlertmanagerWebhook.translate(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), ALERTMANAGER, RECEIVED);

    // Then the alert is published as without them
    assertThat(body).contains(longQuery, "\"n\": 5");
    assertThat(translation.events()).isEqualTo(
        AlertmanagerWebhook.translate(Samples.bytes("alertmanager/firing.json"), ALERTMANAGER, RECEIVED).events());
  }

  @Test
  void the_same_webhook_sent_twice_maps_to_the_same_events() {
    // Given a webhook received twice, minutes apart (a retry, or the HA peer sending it too)
    byte[] body = Samples.bytes("alertmanager/group.json");

    // When both are translated
    List<Event> first = AlertmanagerWebhook.translate(body, ALERTMANAGER, RECEIVED).events();
    List<Event> second = AlertmanagerWebhook.translate(body, ALERTMANAGER, RECEIVED.plusSeconds(300)).events();

    // Then they are the same events, ids and content
    assertThat(second).isEqualTo(first);
  }

  @Test
  void the_same_start_time_written_with_another_offset_derives_the_same_id() {
    // Given the firing webhook as a peer might format its times, with an offset instead of Z
    String body = Samples.text("alertmanager/firing.json")
        .replace("2026-06-15T02:10:37.512815313Z", "2026-06-15T04:10:37.512815313+02:00");

    // When both are translated
    Event original = AlertmanagerWebhook.translate(Samples.bytes("alertmanager/firing.json"), ALERTMANAGER, RECEIVED).events().getFirst();
    Event reformatted = AlertmanagerWebhook.translate(body.getBytes(StandardCharsets.UTF_8), ALERTMANAGER, RECEIVED).events().getFirst();

    // Then the ids agree
    assertThat(reformatted.id()).isEqualTo(original.id());
  }

  @Test
  void a_repeat_notification_whose_templated_summary_changed_is_the_same_event() {
    // Given the same firing transition re-sent after its summary (templated with $value) changed
    byte[] first = Samples.bytes("alertmanager/firing.json");
    byte[] repeat = Samples.text("alertmanager/firing.json")
        .replace("Checkout error rate above 5%", "Checkout error rate above 5% (now 7.3%)").getBytes(StandardCharsets.UTF_8);

    // When both are translated
    Event one = AlertmanagerWebhook.translate(first, ALERTMANAGER, RECEIVED).events().getFirst();
    Event two = AlertmanagerWebhook.translate(repeat, ALERTMANAGER, RECEIVED.plusSeconds(300)).events().getFirst();

    // Then they are one event with one content: the writer deduplicates, nothing is dead-lettered
    assertThat(two.id()).isEqualTo(one.id());
    assertThat(EventCodec.sameContent(one, two)).isTrue();
  }

  @Test
  void the_title_is_the_alert_name_and_unknown_severities_are_left_out() {
    // Given an alert without a summary annotation and with a severity outside the catalogue
    String body = Samples.text("alertmanager/firing.json")
        .replace("\"summary\": \"Checkout error rate above 5%\"", "\"team\": \"payments\"")
        .replace("\"severity\": \"critical\"", "\"severity\": \"sev-2\"");

    // When it is translated
    AlertFired fired = (AlertFired) AlertmanagerWebhook.translate(body.getBytes(StandardCharsets.UTF_8), ALERTMANAGER, RECEIVED)
        .events().getFirst().data();

    // Then the alert name is the title and the severity is unknown
    assertThat(fired.title()).isEqualTo("HighErrorRate");
    assertThat(fired.severity()).isNull();
  }

  @Test
  void labels_beyond_the_catalogue_limits_are_fitted_rather_than_refused() {
    // Given an alert with 80 labels, one of them with a 5,000-character value
    StringBuilder labels = new StringBuilder("\"alertname\": \"Wide\", \"huge\": \"" + "x".repeat(5000) + "\"");
    for (int i = 0; i < 78; i++) labels.append(", \"l").append(String.format("%02d", i)).append("\": \"v\"");
    String body = Samples.text("alertmanager/firing.json").replaceFirst("(?s)\"labels\": \\{.*?\\}", "\"labels\": {" + labels + "}");

    // When it is translated
    Event event = AlertmanagerWebhook.translate(body.getBytes(StandardCharsets.UTF_8), ALERTMANAGER, RECEIVED).events().getFirst();

    // Then the event holds 64 labels within the value limit and survives the codec
    AlertFired fired = (AlertFired) event.data();
    assertThat(fired.labels()).hasSize(64);
    assertThat(fired.labels().get("huge")).hasSize(1024).endsWith("…");
    assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
  }

  @Test
  void a_body_that_is_not_a_version_4_webhook_is_refused_naming_the_field() {
    // Given webhooks with one field wrong each
    String firing = Samples.text("alertmanager/firing.json");

    // Then each is refused with the path of the wrong field
    assertRefused(firing.replace("\"version\": \"4\"", "\"version\": \"3\""), "$.version");
    assertRefused(firing.replace("\"receiver\": \"quorum\",", ""), "$.receiver");
    assertRefused(firing.replace("\"status\": \"firing\",\n  \"alerts\"", "\"status\": \"burning\",\n  \"alerts\""), "$.status");
    assertRefused(firing.replace("\"fingerprint\": \"3f9c9d5d2c8e4a17\"", "\"fingerprint\": 17"), "$.alerts[0].fingerprint");
    assertRefused(firing.replace("\"startsAt\": \"2026-06-15T02:10:37.512815313Z\"", "\"startsAt\": \"yesterday\""), "$.alerts[0].startsAt");
    assertRefused(firing.replace("\"service\": \"checkout\",\n        \"severity\"", "\"service\": 3,\n        \"severity\""), "$.alerts[0].labels.service");
    assertRefused(firing.replaceFirst("(?s)\"alerts\": \\[.*?\\n  \\],", "\"alerts\": [],"), "$.alerts");
    assertRefused("[]", "$");
    assertRefused("{\"version\": \"4\"", "$");
  }

  private static void assertRefused(String body, String path) {
    assertThatThrownBy(() -> AlertmanagerWebhook.translate(body.getBytes(StandardCharsets.UTF_8), ALERTMANAGER, RECEIVED))
        .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.first().path()).isEqualTo(path));
  }
}
