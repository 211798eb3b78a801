package dev.quorum.ingest.http;

import static dev.quorum.ingest.testing.GatewayHarness.ALERTMANAGER_TOKEN;
import static dev.quorum.ingest.testing.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quorum.event.Ids;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.testing.GatewayHarness;
import dev.quorum.ingest.testing.TopicReader;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.kafka.EmbeddedKafka;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithKafka
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaOutageIT {
  private static final String TOPIC = "outage-it.actions.v1";
  /** A functional timeout, not a benchmark: the producer gives up after max.block + delivery timeout (8 s here). */
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
  /** A 503 from an open breaker involves no network wait at all. */
  private static final Duration AT_ONCE = Duration.ofSeconds(1);
  /** Slack's own limit for an answer. */
  private static final Duration SLACK_LIMIT = Duration.ofSeconds(3);

  @Test
  void while_kafka_is_down_the_gateway_answers_503_in_seconds_and_afterwards_202_with_nothing_acknowledged_lost(EmbeddedKafka broker) {
    // Given a gateway on a broker of its own, with events already acknowledged
    broker.createTopic(TOPIC, 2, Map.of("message.timestamp.type", "LogAppendTime"));
    Set<UUID> acknowledged = new HashSet<>();
    try (GatewayHarness gateway = new GatewayHarness(broker.bootstrapServers(), TOPIC, Clock.systemUTC(),
        Map.of("gateway.slack.reply.budget", "1500ms", "gateway.kafka.breaker.failures", "1", "gateway.kafka.breaker.wait", "2s"))) {
      UUID incident = UUID.randomUUID();
      for (int i = 0; i < 5; i++) acknowledged.addAll(accepted(gateway.post("/v1/events", ALERTMANAGER_TOKEN, event(incident)), 202));

      // When the broker stops
      broker.stop();

      // Then an event gets a 503 with Retry-After, within seconds
      long start = System.nanoTime();
      HttpResponse<String> unavailable = gateway.post("/v1/events", ALERTMANAGER_TOKEN, event(incident));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
      assertThat(unavailable.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isPositive());
      assertThat(json(unavailable).get("status").asInt()).isEqualTo(503);
      assertThat(took).isLessThan(ANSWER_WITHIN);

      // And once Kafka is known down, the next requests get theirs at once, and the gauge says the breaker is open
      start = System.nanoTime();
      HttpResponse<String> atOnce = gateway.post("/v1/events", ALERTMANAGER_TOKEN, event(incident));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
      assertThat(atOnce.statusCode()).isEqualTo(503);
      assertThat(atOnce.headers().firstValue("Retry-After")).isPresent();
      assertThat(gateway.ops("/metrics").body()).contains("quorum_gateway_kafka_breaker_state{service=\"ingest-gateway\"} 1.0");

      // And a slash command still gets its Slack message in time
      start = System.nanoTime();
      HttpResponse<String> slack = gateway.slack(GatewayIT.slashCommand("ack " + incident, "9001." + System.nanoTime() + ".o"), Instant.now());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SLACK_LIMIT);
      assertThat(slack.statusCode()).isEqualTo(200);
      assertThat(json(slack).get("response_type").asText()).isEqualTo("ephemeral");

      // And readiness says Kafka is down
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.ops("/readyz").statusCode()).isEqualTo(503));

      // When the broker is back on the same port
      broker.start();

      // Then the gateway accepts again, and every event it ever acknowledged is on the topic
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        HttpResponse<String> response = gateway.post("/v1/events", ALERTMANAGER_TOKEN, event(incident));
        if (response.statusCode() == 202) acknowledged.addAll(accepted(response, 202));
        assertThat(response.statusCode()).isEqualTo(202);
      });
      for (int i = 0; i < 5; i++) acknowledged.addAll(accepted(gateway.post("/v1/events", ALERTMANAGER_TOKEN, event(incident)), 202));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.ops("/readyz").statusCode()).isEqualTo(200));
    }
    try (TopicReader reader = new TopicReader(broker, TOPIC)) {
      Set<UUID> onTopic = reader.readAll().stream().map(r -> EventCodec.decode(r.value()).id()).collect(Collectors.toSet());
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(11);
      assertThat(onTopic).containsAll(acknowledged);
    }
  }

  private static String event(UUID incident) {
    return GatewayIT.envelope(Ids.newEventId(), incident, "quorum.note.added", "{\"text\":\"status update\"}");
  }

  private static Set<UUID> accepted(HttpResponse<String> response, int expectedStatus) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    Set<UUID> ids = new HashSet<>();
    json(response).get("events").forEach(e -> ids.add(UUID.fromString(e.get("id").asText())));
    return ids;
  }
}
