package dev.quorum.ingest.http;

import static dev.quorum.ingest.testing.GatewayHarness.ALERTMANAGER_TOKEN;
import static dev.quorum.ingest.testing.GatewayHarness.PAGERDUTY_ROUTING_KEY;
import static dev.quorum.ingest.testing.GatewayHarness.OPS_BOT_TOKEN;
import static dev.quorum.ingest.testing.GatewayHarness.READER_TOKEN;
import static dev.quorum.ingest.testing.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData.AlertFired;
import dev.quorum.event.EventData.IncidentAcknowledged;
import dev.quorum.event.EventData.NoteAdded;
import dev.quorum.event.Ids;
import dev.quorum.event.Schemas;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.Samples;
import dev.quorum.ingest.testing.GatewayHarness;
import dev.quorum.ingest.testing.MutableClock;
import dev.quorum.ingest.testing.TopicReader;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.junit.WithKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@WithKafka
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatewayIT {
  private static final String TOPIC = "gateway-it.actions.v1";
  private static final MutableClock CLOCK = new MutableClock(Instant.now());
  private static GatewayHarness gateway;
  private static KafkaBroker kafka;

  @BeforeAll
  static void start(KafkaBroker broker) {
    kafka = broker;
    kafka.createTopic(TOPIC, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    gateway = new GatewayHarness(kafka.bootstrapServers(), TOPIC, CLOCK, Map.of());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void now() {
    CLOCK.set(Instant.now());
  }

  // ------------------------------------------------------------------ /v1/events

  @Test
  void one_cloud_event_is_accepted_after_kafka_acknowledged_it_with_source_and_actor_of_the_client() {
    // Given an event whose body names another source and actor, from a client that may not act on behalf of others
    UUID incident = UUID.randomUUID();
    String body = envelope(Ids.newEventId(), incident, "quorum.incident.acknowledged", "{}")
        .replace("\"source\":\"cli\"", "\"source\":\"spoofed\"");

    // When it is posted
    HttpResponse<String> response = gateway.post("/v1/events", ALERTMANAGER_TOKEN, "application/cloudevents+json",
        body.getBytes(StandardCharsets.UTF_8));

    // Then it is accepted and on the topic as the client's, where the answer says
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode accepted = json(response).get("events").get(0);
    Event stored = onTopic(UUID.fromString(accepted.get("id").asText()));
    assertThat(stored.source()).isEqualTo("alertmanager/prod-eu");
    assertThat(stored.actor()).isEqualTo("integration:alertmanager");
    assertThat(stored.principal()).isNull();
    assertThat(stored.incidentId()).isEqualTo(incident);
    assertThat(accepted.get("incidentId").asText()).isEqualTo(incident.toString());
  }

  @Test
  void a_client_that_may_act_on_behalf_keeps_the_named_actor_and_is_recorded_as_principal() {
    // Given an event without source, naming its actor, from a chat-ops bot
    String body = """
        {"specversion":"1.0","id":"%s","type":"quorum.note.added","subject":"%s","time":"2026-06-15T02:14:07Z",
         "actor":"user:alice","data":{"text":"rolled back"}}""".formatted(Ids.newEventId(), UUID.randomUUID());

    // When it is posted
    HttpResponse<String> response = gateway.post("/v1/events", OPS_BOT_TOKEN, body);

    // Then the actor stands and the bot is the principal
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    Event stored = onTopic(UUID.fromString(json(response).get("events").get(0).get("id").asText()));
    assertThat(stored.actor()).isEqualTo("user:alice");
    assertThat(stored.principal()).isEqualTo("client:ops-bot");
    assertThat(stored.source()).isEqualTo("chatops/ops-bot");
    assertThat(stored.data()).isEqualTo(new NoteAdded("rolled back"));
  }

  @Test
  void a_batch_is_accepted_whole_and_every_event_is_on_the_topic() {
    // Given a CloudEvents batch of ten events
    UUID incident = UUID.randomUUID();
    List<UUID> ids = IntStream.range(0, 10).mapToObj(i -> Ids.newEventId()).toList();
    String batch = ids.stream().map(id -> envelope(id, incident, "quorum.note.added", "{\"text\":\"n\"}"))
        .collect(Collectors.joining(",", "[", "]"));

    // When it is posted
    HttpResponse<String> response = gateway.post("/v1/events", ALERTMANAGER_TOKEN, "application/cloudevents-batch+json",
        batch.getBytes(StandardCharsets.UTF_8));

    // Then all ten are acknowledged and on the topic
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(json(response).get("events")).hasSize(10);
    assertThat(onTopic(Set.copyOf(ids))).hasSize(10);
  }

  @Test
  void an_invalid_event_gets_a_400_problem_naming_the_field_and_nothing_is_published() {
    long before = endOffsets();
    UUID incident = UUID.randomUUID();
    String good = envelope(Ids.newEventId(), incident, "quorum.note.added", "{\"text\":\"ok\"}");
    String bad = envelope(Ids.newEventId(), incident, "quorum.severity.changed", "{\"severity\":\"apocalyptic\"}");

    HttpResponse<String> response = gateway.post("/v1/events", ALERTMANAGER_TOKEN, "[" + good + "," + bad + "]");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(json(response).get("field").asText()).isEqualTo("[1].data.severity");
    assertThat(json(response).get("status").asInt()).isEqualTo(400);
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void bad_input_of_every_kind_is_a_4xx() {
    UUID incident = UUID.randomUUID();
    String event = envelope(Ids.newEventId(), incident, "quorum.incident.acknowledged", "{}");
    String tooMany = IntStream.range(0, 51).mapToObj(i -> envelope(Ids.newEventId(), incident, "quorum.incident.acknowledged", "{}"))
        .collect(Collectors.joining(",", "[", "]"));

    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, tooMany).statusCode()).isEqualTo(400);
    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, "[]").statusCode()).isEqualTo(400);
    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, "{\"specversion\":").statusCode()).isEqualTo(400);
    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, "text/plain", event.getBytes(StandardCharsets.UTF_8)).statusCode())
        .isEqualTo(415);
    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, "application/cloudevents-batch+json",
        event.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
    String stored = event.replace("\"actor\"", "\"ingestedat\":\"2026-06-15T02:14:07Z\",\"actor\"");
    HttpResponse<String> pipeline = gateway.post("/v1/events", ALERTMANAGER_TOKEN, stored);
    assertThat(pipeline.statusCode()).isEqualTo(400);
    assertThat(json(pipeline).get("field").asText()).isEqualTo("ingestedat");
  }

  @Test
  void missing_or_unknown_credentials_get_a_401_and_a_client_without_the_scope_a_403() {
    String event = envelope(Ids.newEventId(), UUID.randomUUID(), "quorum.incident.acknowledged", "{}");

    HttpResponse<String> none = gateway.post("/v1/events", null, event);
    HttpResponse<String> unknown = gateway.post("/v1/events", "not-a-token", event);
    HttpResponse<String> reader = gateway.post("/v1/events", READER_TOKEN, event);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(gateway.post("/v1/integrations/alertmanager", null, Samples.text("alertmanager/firing.json")).statusCode()).isEqualTo(401);
    assertThat(reader.statusCode()).isEqualTo(403);
  }

  @Test
  void a_pagerduty_routing_key_opens_the_pagerduty_route_and_no_other() {
    // Given the monitoring tool's routing key, a client with the pagerduty scope alone
    String ack = envelope(Ids.newEventId(), UUID.randomUUID(), "quorum.incident.acknowledged", "{}");

    // When it is used as a bearer token on the other routes
    HttpResponse<String> events = gateway.post("/v1/events", PAGERDUTY_ROUTING_KEY, ack);
    HttpResponse<String> alertmanager = gateway.post("/v1/integrations/alertmanager", PAGERDUTY_ROUTING_KEY,
        Samples.text("alertmanager/firing.json"));
    HttpResponse<String> reader = gateway.post("/v1/integrations/pagerduty", READER_TOKEN, Samples.text("pagerduty/trigger.json"));

    // Then both are forbidden, naming the scope, and a client without the pagerduty scope cannot use its route
    assertThat(events.statusCode()).isEqualTo(403);
    assertThat(json(events).get("detail").asText()).contains("pd-nagios", "publish");
    assertThat(alertmanager.statusCode()).isEqualTo(403);
    assertThat(json(alertmanager).get("detail").asText()).contains("alertmanager");
    assertThat(reader.statusCode()).isEqualTo(403);
    assertThat(gateway.post("/v1/integrations/pagerduty", null, Samples.text("pagerduty/trigger.json")).statusCode()).isEqualTo(202);
  }

  @Test
  void a_body_above_the_limit_gets_a_413_with_or_without_content_length() {
    long before = endOffsets();
    byte[] huge = ("{\"specversion\":\"1.0\",\"x\":\"" + "x".repeat((int) GatewayHarness.MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> sized = gateway.post("/v1/events", ALERTMANAGER_TOKEN, "application/json", huge);
    HttpResponse<String> chunked = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/events"))
        .header("Authorization", "Bearer " + ALERTMANAGER_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)))
        .build());

    assertThat(sized.statusCode()).isEqualTo(413);
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(endOffsets()).isEqualTo(before);
  }

  // ------------------------------------------------------------------ Alertmanager

  @Test
  void a_large_alertmanager_group_is_taken_whole_above_the_limit_of_the_other_routes() {
    // Given a webhook four times the limit of /v1/events, most of it in a generator URL Quorum does not keep
    String query = "sum+by%28service%29+".repeat((int) (4 * GatewayHarness.MAX_BODY / 20));
    String webhook = Samples.text("alertmanager/firing.json")
        .replaceFirst("\"generatorURL\": \"[^\"]*\"", "\"generatorURL\": \"http://prometheus-0:9090/graph?g0.expr=" + query + "\"");

    // When it is sent, with and without its length announced
    HttpResponse<String> sized = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, webhook);
    HttpResponse<String> chunked = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/integrations/alertmanager"))
        .header("Authorization", "Bearer " + ALERTMANAGER_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(webhook.getBytes(StandardCharsets.UTF_8))))
        .build());

    // Then both are accepted, and the same bytes on /v1/events are still too large
    assertThat(webhook.length()).isGreaterThan(4 * (int) GatewayHarness.MAX_BODY);
    assertThat(sized.statusCode()).as(sized.body()).isEqualTo(202);
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(202);
    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, webhook).statusCode()).isEqualTo(413);
  }

  @Test
  void an_alertmanager_webhook_publishes_one_event_per_alert_and_the_same_webhook_twice_the_same_events() {
    // Given Alertmanager's webhook for a group of three alerts
    byte[] webhook = Samples.bytes("alertmanager/group.json");

    // When it is delivered twice (a retry, or the HA peer)
    HttpResponse<String> first = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, "application/json", webhook);
    HttpResponse<String> second = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, "application/json", webhook);

    // Then both are accepted with the same three event ids, on the group's incident
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    List<String> firstIds = ids(first);
    assertThat(firstIds).hasSize(3).doesNotHaveDuplicates().containsExactlyElementsOf(ids(second));
    UUID incident = Ids.derived("am", "quorum", "{}:{alertname=\"KubePodCrashLooping\", namespace=\"payments\"}");
    List<Event> stored = onTopic(firstIds.stream().map(UUID::fromString).collect(Collectors.toSet()));
    assertThat(stored).extracting(Event::incidentId).containsOnly(incident);
    assertThat(stored).extracting(Event::source).containsOnly("alertmanager/prod-eu");
  }

  @Test
  void firing_resolved_and_truncated_webhooks_are_accepted() {
    HttpResponse<String> firing = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, Samples.text("alertmanager/firing.json"));
    HttpResponse<String> resolved = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, Samples.text("alertmanager/resolved.json"));
    HttpResponse<String> truncated = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, Samples.text("alertmanager/truncated.json"));

    assertThat(firing.statusCode()).isEqualTo(202);
    assertThat(onTopic(UUID.fromString(ids(firing).getFirst())).data()).isInstanceOf(AlertFired.class);
    assertThat(resolved.statusCode()).isEqualTo(202);
    assertThat(onTopic(UUID.fromString(ids(resolved).getFirst())).type()).isEqualTo("quorum.alert.resolved");
    assertThat(truncated.statusCode()).isEqualTo(202);
    assertThat(json(truncated).get("truncatedAlerts").asLong()).isEqualTo(3);
    assertThat(ids(truncated)).hasSize(2);
  }

  @Test
  void an_invalid_webhook_gets_a_400_problem_naming_the_field() {
    String body = Samples.text("alertmanager/firing.json").replace("\"version\": \"4\"", "\"version\": \"3\"");
    HttpResponse<String> response = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN, body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("field").asText()).isEqualTo("version");
  }

  // ------------------------------------------------------------------ PagerDuty

  @Test
  void pagerdutys_documented_events_are_answered_with_its_own_bodies() {
    // Given PagerDuty's documented trigger, acknowledge and resolve, authenticated by their routing key
    HttpResponse<String> trigger = gateway.post("/v1/integrations/pagerduty", null, Samples.text("pagerduty/trigger.json"));
    HttpResponse<String> ack = gateway.post("/v1/integrations/pagerduty", null, Samples.text("pagerduty/acknowledge.json"));
    HttpResponse<String> resolve = gateway.post("/v1/integrations/pagerduty", null, Samples.text("pagerduty/resolve.json"));

    // Then each is accepted with PagerDuty's success body
    for (HttpResponse<String> response : List.of(trigger, ack, resolve)) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      assertThat(json(response).get("status").asText()).isEqualTo("success");
      assertThat(json(response).get("message").asText()).isEqualTo("Event processed");
      assertThat(json(response).get("dedup_key").asText()).isEqualTo("samplekeyhere");
    }
    // And the trigger is on the topic as the configured client
    Event fired = onTopic(Ids.derived("pd", "pd-nagios", "samplekeyhere", "trigger", "2015-07-17T08:42:58.315Z"));
    assertThat(fired.source()).isEqualTo("pagerduty/nagios");
    assertThat(fired.incidentId()).isEqualTo(Ids.derived("pd", "pd-nagios", "samplekeyhere"));
  }

  @Test
  void a_trigger_without_dedup_key_is_answered_with_the_generated_one() {
    HttpResponse<String> response = gateway.post("/v1/integrations/pagerduty", null, Samples.text("pagerduty/trigger-minimal.json"));
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).get("dedup_key").asText()).matches("[0-9a-f]{32}");
  }

  @Test
  void an_invalid_pagerduty_event_gets_pagerdutys_400_listing_every_error_and_nothing_is_published() {
    long before = endOffsets();
    String body = "{\"routing_key\":\"samplekeyhere\",\"event_action\":\"trigger\",\"payload\":{\"source\":\"db-1\",\"severity\":\"fatal\"}}";

    HttpResponse<String> response = gateway.post("/v1/integrations/pagerduty", null, body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("status").asText()).isEqualTo("invalid event");
    assertThat(json(response).get("message").asText()).isEqualTo("Event object is invalid");
    assertThat(json(response).get("errors")).extracting(JsonNode::asText)
        .containsExactly("'payload.summary' is required", "'payload.severity' must be one of critical, error, warning, info, was \"fatal\"");
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void a_pagerduty_event_with_an_unknown_routing_key_and_no_token_gets_a_401() {
    String body = Samples.text("pagerduty/acknowledge.json").replace("\"routing_key\": \"samplekeyhere\"", "\"routing_key\": \"unknownkey\"");
    assertThat(gateway.post("/v1/integrations/pagerduty", null, body).statusCode()).isEqualTo(401);
    assertThat(gateway.post("/v1/integrations/pagerduty", ALERTMANAGER_TOKEN, body).statusCode()).isEqualTo(202);
  }

  // ------------------------------------------------------------------ Slack

  @Test
  void slacks_published_signing_example_is_verified_and_answered_with_a_message() {
    // Given Slack's published example request, at its time
    CLOCK.set(Instant.ofEpochSecond(1531420618).plusSeconds(2));
    byte[] body = Samples.bytes("slack/signing-vector-body.txt");

    // When it is posted with its signature
    HttpResponse<String> response = gateway.slack(body, "1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");

    // Then it is verified: its empty text gets the help, to the user alone
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("response_type").asText()).isEqualTo("ephemeral");
    assertThat(json(response).get("text").asText()).contains("/webhook-collect declare <title>");
  }

  @Test
  void a_tampered_or_stale_slack_request_gets_a_401() {
    byte[] body = Samples.bytes("slack/signing-vector-body.txt");
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("user_id=U2CERLKJA", "user_id=U2CERLKJB").getBytes(StandardCharsets.UTF_8);
    String signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    CLOCK.set(Instant.ofEpochSecond(1531420618));
    assertThat(gateway.slack(tampered, "1531420618", signature).statusCode()).isEqualTo(401);
    assertThat(gateway.slack(body, "1531420618", null).statusCode()).isEqualTo(401);
    CLOCK.set(Instant.ofEpochSecond(1531420618).plusSeconds(301));
    assertThat(gateway.slack(body, "1531420618", signature).statusCode()).isEqualTo(401);
  }

  @Test
  void a_slash_command_is_recorded_and_confirmed_in_the_channel() {
    // Given a signed /incident ack naming an incident
    UUID incident = UUID.randomUUID();
    String trigger = "4001." + System.nanoTime() + ".a1b2c3";
    byte[] form = slashCommand("ack " + incident, trigger);

    // When it is posted
    HttpResponse<String> response = gateway.slack(form, CLOCK.instant());

    // Then the channel sees the confirmation and the acknowledgement is on the topic, by the signed user
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("response_type").asText()).isEqualTo("in_channel");
    Event ack = onTopic(Ids.derived("slack", trigger, "0"));
    assertThat(ack.data()).isEqualTo(new IncidentAcknowledged());
    assertThat(ack.actor()).isEqualTo("user:slack/U2CERLKJA");
    assertThat(ack.source()).isEqualTo("slack/T1DC2JH3J");
    assertThat(ack.incidentId()).isEqualTo(incident);
  }

  @Test
  void a_declared_incident_binds_the_channel_for_the_next_commands() {
    byte[] declare = slashCommand("declare Checkout is down", "5001." + System.nanoTime() + ".d");
    HttpResponse<String> declared = gateway.slack(declare, CLOCK.instant());
    assertThat(json(declared).get("response_type").asText()).isEqualTo("in_channel");

    String noteTrigger = "5002." + System.nanoTime() + ".n";
    HttpResponse<String> noted = gateway.slack(slashCommand("note failover started", noteTrigger), CLOCK.instant());

    assertThat(json(noted).get("response_type").asText()).as(noted.body()).isEqualTo("in_channel");
    Event note = onTopic(Ids.derived("slack", noteTrigger, "0"));
    assertThat(json(declared).get("text").asText()).contains(note.incidentId().toString());
  }

  @Test
  void a_channel_bound_through_one_replica_is_bound_on_the_other_and_so_is_its_unbinding() {
    // Given a second gateway replica on the same Kafka
    try (GatewayHarness other = new GatewayHarness(kafka.bootstrapServers(), TOPIC, CLOCK, Map.of())) {
      // When an incident is declared through the first replica
      HttpResponse<String> declared = gateway.slack(slashCommand("declare Payments are slow", "5101." + System.nanoTime() + ".d"),
          CLOCK.instant());
      assertThat(json(declared).get("response_type").asText()).as(declared.body()).isEqualTo("in_channel");

      // Then the next command through the other replica acts on it
      String noteTrigger = "5102." + System.nanoTime() + ".n";
      HttpResponse<String> noted = other.slack(slashCommand("note retries are piling up", noteTrigger), CLOCK.instant());
      assertThat(json(noted).get("response_type").asText()).as(noted.body()).isEqualTo("in_channel");
      assertThat(json(declared).get("text").asText()).contains(onTopic(Ids.derived("slack", noteTrigger, "0")).incidentId().toString());

      // And an unbind through the other replica unbinds it on the first
      assertThat(json(other.slack(slashCommand("unbind", "5103." + System.nanoTime() + ".u"), CLOCK.instant())).get("text").asText())
          .contains("no longer bound");
      HttpResponse<String> orphan = gateway.slack(slashCommand("ack", "5104." + System.nanoTime() + ".a"), CLOCK.instant());
      assertThat(json(orphan).get("response_type").asText()).isEqualTo("ephemeral");
      assertThat(json(orphan).get("text").asText()).containsIgnoringCase("which incident");
    }
  }

  @Test
  void a_verified_command_with_text_that_is_not_utf8_or_holds_a_nul_gets_an_ephemeral_200_and_nothing_is_published() {
    long before = endOffsets();
    String trigger = "7001." + System.nanoTime() + ".u";
    byte[] latin1 = new String(slashCommand("note " + UUID.randomUUID() + " cafe", trigger), StandardCharsets.UTF_8)
        .replace("cafe", "caf%E9").getBytes(StandardCharsets.UTF_8);
    byte[] nul = new String(slashCommand("note " + UUID.randomUUID() + " ab", trigger), StandardCharsets.UTF_8)
        .replace("+ab", "+a%00b").getBytes(StandardCharsets.UTF_8);

    for (byte[] form : List.of(latin1, nul)) {
      HttpResponse<String> response = gateway.slack(form, CLOCK.instant());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).get("response_type").asText()).isEqualTo("ephemeral");
      assertThat(json(response).get("text").asText()).contains("could not be read", "text");
    }
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void a_verified_command_that_is_wrong_gets_an_ephemeral_200() {
    HttpResponse<String> response = gateway.slack(slashCommand("severity " + UUID.randomUUID() + " apocalyptic", "6001.1.x"), CLOCK.instant());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("response_type").asText()).isEqualTo("ephemeral");
    HttpResponse<String> unreadable = gateway.slack("team_id=T1&user_id=%zz".getBytes(StandardCharsets.UTF_8), CLOCK.instant());
    assertThat(unreadable.statusCode()).isEqualTo(200);
    assertThat(json(unreadable).get("response_type").asText()).isEqualTo("ephemeral");
  }

  // ------------------------------------------------------------------ bodies that are not UTF-8 JSON text

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      the eight bytes of issue 16   | 7b 00 00 00 00 00 ff 00
      UTF-32 big-endian brace       | 00 00 00 7b 00 00 00 7d
      UTF-16 byte order mark        | ff fe 7b 00 7d 00
      UTF-16 big-endian mark        | fe ff 00 7b 00 7d
      UTF-8 byte order mark         | ef bb bf 7b 7d
      Latin-1 text                  | 7b 22 e9 22 3a 31 7d
      """)
  void a_body_that_is_not_utf8_json_text_gets_a_400_on_every_json_route_and_nothing_is_published(String name, String hex) {
    byte[] body = HexFormat.ofDelimiter(" ").parseHex(hex.strip());
    long before = endOffsets();

    for (String route : List.of("/v1/events", "/v1/integrations/alertmanager")) {
      HttpResponse<String> response = gateway.post(route, ALERTMANAGER_TOKEN, "application/json", body);
      assertThat(response.statusCode()).as(route + ": " + response.body()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(json(response).get("detail").asText()).containsAnyOf("UTF-8", "byte order mark");
    }
    HttpResponse<String> pagerDuty = gateway.post("/v1/integrations/pagerduty", ALERTMANAGER_TOKEN, "application/json", body);
    assertThat(pagerDuty.statusCode()).as(pagerDuty.body()).isEqualTo(400);
    assertThat(json(pagerDuty).get("status").asText()).isEqualTo("invalid event");
    assertThat(json(pagerDuty).get("errors").get(0).asText()).containsAnyOf("UTF-8", "byte order mark");
    assertThat(endOffsets()).isEqualTo(before);
  }

  @Test
  void the_same_event_in_utf16_or_utf32_gets_a_400_while_in_utf8_it_is_accepted() {
    String event = envelope(Ids.newEventId(), UUID.randomUUID(), "quorum.incident.acknowledged", "{}");

    for (var charset : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, Charset.forName("UTF-32"),
        Charset.forName("UTF-32LE"))) {
      assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, "application/json", event.getBytes(charset)).statusCode())
          .as(charset.name()).isEqualTo(400);
    }
    assertThat(gateway.post("/v1/events", ALERTMANAGER_TOKEN, "application/json", event.getBytes(StandardCharsets.UTF_8)).statusCode())
        .isEqualTo(202);
  }

  // ------------------------------------------------------------------ text the database cannot store

  @Test
  void a_nul_or_half_a_surrogate_pair_in_any_text_gets_a_400_naming_the_field_and_nothing_is_published() {
    long before = endOffsets();
    UUID incident = UUID.randomUUID();
    String good = envelope(Ids.newEventId(), incident, "quorum.note.added", "{\"text\":\"ok\"}");

    HttpResponse<String> note = gateway.post("/v1/events", ALERTMANAGER_TOKEN,
        envelope(Ids.newEventId(), incident, "quorum.note.added", "{\"text\":\"fail\\u0000over\"}"));
    HttpResponse<String> label = gateway.post("/v1/events", ALERTMANAGER_TOKEN, "[" + good + ","
        + envelope(Ids.newEventId(), incident, "quorum.alert.fired", "{\"fingerprint\":\"f\",\"title\":\"t\",\"labels\":{\"env\":\"\\ud800\"}}") + "]");
    HttpResponse<String> unknown = gateway.post("/v1/events", ALERTMANAGER_TOKEN,
        envelope(Ids.newEventId(), incident, "quorum.runbook.linked", "{\"steps\":[\"a\",\"\\u0000\"]}"));
    HttpResponse<String> webhook = gateway.post("/v1/integrations/alertmanager", ALERTMANAGER_TOKEN,
        Samples.text("alertmanager/firing.json").replaceFirst("\"severity\": \"", "\"severity\": \"\\\\u0000"));
    HttpResponse<String> pagerDuty = gateway.post("/v1/integrations/pagerduty", null,
        Samples.text("pagerduty/trigger.json").replaceFirst("\"summary\": \"", "\"summary\": \"\\\\udfff"));

    assertThat(field(note)).isEqualTo("data.text");
    assertThat(field(label)).isEqualTo("[1].data.labels.env");
    assertThat(field(unknown)).isEqualTo("data.steps[1]");
    assertThat(field(webhook)).isEqualTo("alerts[0].labels.severity");
    assertThat(pagerDuty.statusCode()).isEqualTo(400);
    assertThat(json(pagerDuty).get("errors").get(0).asText()).startsWith("'payload.summary' holds an unpaired UTF-16 surrogate");
    assertThat(endOffsets()).isEqualTo(before);
  }

  /** The field a 400 problem names, after checking it is one. */
  private static String field(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    return json(response).get("field").asText();
  }

  // ------------------------------------------------------------------ ops

  @Test
  void openapi_schemas_metrics_health_and_readiness_are_served_on_the_ops_port_and_not_on_the_public_one() {
    for (String path : List.of("/openapi.json", "/schemas", "/schemas/event.json", "/metrics", "/healthz", "/readyz")) {
      assertThat(gateway.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(gateway.ops("/openapi.json").body()).isEqualTo(new String(GatewayRoutes.openApiDocument(), StandardCharsets.UTF_8));
    assertThat(gateway.ops("/schemas").body()).isEqualTo(new String(Schemas.index(), StandardCharsets.UTF_8));
    HttpResponse<String> schema = gateway.ops("/schemas/event.json");
    assertThat(schema.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(Schemas.MEDIA_TYPE));
    assertThat(schema.body()).isEqualTo(new String(Schemas.find("event.json").orElseThrow(), StandardCharsets.UTF_8));
    assertThat(gateway.ops("/schemas/nothing.json").statusCode()).isEqualTo(404);
    assertThat(gateway.ops("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = gateway.ops("/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(json(ready).at("/checks/kafka/status").asText()).isEqualTo("UP");
    gateway.post("/v1/events", null, "{}");
    String metrics = gateway.ops("/metrics").body();
    assertThat(metrics).contains("quorum_gateway_requests_total{", "route=\"/v1/events\"", "status=\"401\"")
        .contains("kafka_producer_");
  }

  // ------------------------------------------------------------------ helpers

  static String envelope(UUID id, UUID incident, String type, String data) {
    return """
        {"specversion":"1.0","id":"%s","source":"cli","type":"%s","subject":"%s","time":"2026-06-15T02:14:07.123Z","actor":"user:alice","data":%s}"""
        .formatted(id, type, incident, data);
  }

  static byte[] slashCommand(String text, String triggerId) {
    return ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=CINC"
        + "&channel_name=incident&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fincident&text="
        + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8)
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F1%2Fx&trigger_id=" + triggerId)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> ids(HttpResponse<String> response) {
    List<String> ids = new ArrayList<>();
    json(response).get("events").forEach(e -> ids.add(e.get("id").asText()));
    return ids;
  }

  private static long endOffsets() {
    try (TopicReader reader = new TopicReader(kafka, TOPIC)) {
      return reader.endOffsetSum();
    }
  }

  private static Event onTopic(UUID id) {
    List<Event> found = onTopic(Set.of(id));
    assertThat(found).as("event %s on %s", id, TOPIC).isNotEmpty();
    return found.getFirst();
  }

  private static List<Event> onTopic(Set<UUID> ids) {
    try (TopicReader reader = new TopicReader(kafka, TOPIC)) {
      return reader.readAll().stream().map(r -> EventCodec.decode(r.value())).filter(e -> ids.contains(e.id())).toList();
    }
  }
}
