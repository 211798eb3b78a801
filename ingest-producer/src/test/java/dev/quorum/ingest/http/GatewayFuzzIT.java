package dev.quorum.ingest.http;

import static dev.quorum.ingest.testing.GatewayHarness.ALERTMANAGER_TOKEN;
import static dev.quorum.ingest.testing.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.Ids;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.Samples;
import dev.quorum.ingest.testing.GatewayHarness;
import dev.quorum.ingest.testing.Mutations;
import dev.quorum.ingest.testing.TopicReader;
import dev.quorum.stack.kafka.EmbeddedKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * At least 1,000 mutated real bodies per endpoint against the running gateway and a real broker: never a
 * 5xx, and a body that is refused publishes nothing (the topic's end offsets do not move), while an
 * accepted one publishes exactly what its answer says.
 */
class GatewayFuzzIT {
  private static final Map<String, String> TOPICS = Map.of(
      EventsEndpoint.PATH, "fuzz.events.v1",
      AlertmanagerEndpoint.PATH, "fuzz.alertmanager.v1",
      PagerDutyEndpoint.PATH, "fuzz.pagerduty.v1",
      SlackEndpoint.PATH, "fuzz.slack.v1");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/cloudevents+json",
      "application/cloudevents-batch+json", "application/json; charset=utf-8", "text/plain");

  private static EmbeddedKafka kafka;
  private static final Map<String, GatewayHarness> gateways = new LinkedHashMap<>();
  private static final Map<String, TopicReader> readers = new LinkedHashMap<>();

  @BeforeContainer
  static void start() {
    kafka = EmbeddedKafka.builder().build().start();
    TOPICS.forEach((path, topic) -> {
      kafka.createTopic(topic, 1, Map.of("message.timestamp.type", "LogAppendTime"));
      // one gateway per endpoint, each on its own topic, so each property counts only its own records
      gateways.put(path, new GatewayHarness(kafka.bootstrapServers(), topic, Clock.systemUTC(), Map.of("gateway.kafka.linger", "0ms")));
      readers.put(path, new TopicReader(kafka, topic));
    });
  }

  @AfterContainer
  static void stop() {
    try {
      // whatever was published is a valid event
      for (TopicReader reader : readers.values()) {
        for (ConsumerRecord<String, byte[]> record : reader.readAll()) {
          Event event = EventCodec.decode(record.value());
          assertThat(record.key()).isEqualTo(event.incidentId().toString());
        }
      }
    } finally {
      readers.values().forEach(TopicReader::close);
      gateways.values().forEach(GatewayHarness::close);
      kafka.close();
    }
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void events_endpoint_never_fails_and_publishes_only_what_it_accepts(@ForAll("events") byte[] body, @ForAll("contentTypes") String contentType) {
    String path = EventsEndpoint.PATH;
    long before = readers.get(path).endOffsetSum();
    HttpResponse<String> response = gateways.get(path).post(path, ALERTMANAGER_TOKEN, contentType, body);
    assertPublishedOnlyWhenAccepted(path, before, response, response.statusCode() == 202 ? json(response).get("events").size() : 0);
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void alertmanager_endpoint_never_fails_and_publishes_only_what_it_accepts(@ForAll("alertmanager") byte[] body) {
    String path = AlertmanagerEndpoint.PATH;
    long before = readers.get(path).endOffsetSum();
    HttpResponse<String> response = gateways.get(path).post(path, ALERTMANAGER_TOKEN, "application/json", body);
    assertPublishedOnlyWhenAccepted(path, before, response, response.statusCode() == 202 ? json(response).get("events").size() : 0);
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void pagerduty_endpoint_never_fails_and_publishes_only_what_it_accepts(@ForAll("pagerduty") byte[] body, @ForAll boolean bearer) {
    String path = PagerDutyEndpoint.PATH;
    long before = readers.get(path).endOffsetSum();
    HttpResponse<String> response = gateways.get(path).post(path, bearer ? ALERTMANAGER_TOKEN : null, "application/json", body);
    assertPublishedOnlyWhenAccepted(path, before, response, response.statusCode() == 202 ? 1 : 0);
    if (response.statusCode() == 400) assertThat(json(response).get("status").asText()).isEqualTo("invalid event");
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void slack_endpoint_answers_every_verified_command_with_a_message_and_publishes_only_what_it_confirms(@ForAll long seed) {
    String path = SlackEndpoint.PATH;
    Random random = new Random(seed);
    byte[] form = Mutations.form(slashCommand(random, seed), random).getBytes(StandardCharsets.UTF_8);
    int signing = random.nextInt(10);
    Instant now = Instant.now();
    long before = readers.get(path).endOffsetSum();
    GatewayHarness gateway = gateways.get(path);
    HttpResponse<String> response = switch (signing) {
      case 0 -> gateway.slack(form, now.minusSeconds(301));
      case 1 -> gateway.slack(form, Long.toString(now.getEpochSecond()), "v0=" + "0".repeat(64));
      case 2 -> gateway.slack(form, null, null);
      default -> gateway.slack(form, now);
    };
    if (signing < 3) {
      Statistics.label("reply").collect("401");
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(readers.get(path).endOffsetSum()).isEqualTo(before);
      return;
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    boolean confirmed = json(response).get("response_type").asText().equals("in_channel");
    Statistics.label("reply").collect(confirmed ? "in_channel" : "ephemeral");
    long published = readers.get(path).endOffsetSum() - before;
    if (confirmed) {
      assertThat(published).as(response.body()).isPositive();
    } else {
      assertThat(published).as(response.body()).isZero();
    }
  }

  private static void assertPublishedOnlyWhenAccepted(String path, long before, HttpResponse<String> response, int accepted) {
    int status = response.statusCode();
    Statistics.label("status").collect(status);
    assertThat(status).as(response.body()).isLessThan(500).isNotEqualTo(200);
    long published = readers.get(path).endOffsetSum() - before;
    if (status == 202) {
      assertThat(published).as(response.body()).isEqualTo(accepted);
    } else {
      assertThat(status).isBetween(400, 499);
      assertThat(published).as("a refused body (%d: %s) published nothing", status, response.body()).isZero();
    }
  }

  @Provide
  Arbitrary<byte[]> events() {
    UUID incident = UUID.randomUUID();
    String one = GatewayIT.envelope(Ids.newEventId(), incident, "quorum.note.added", "{\"text\":\"n\"}");
    String alert = GatewayIT.envelope(Ids.newEventId(), incident, "quorum.alert.fired",
        "{\"fingerprint\":\"f1\",\"title\":\"t\",\"severity\":\"critical\",\"labels\":{\"a\":\"b\"}}");
    String batch = IntStream.range(0, 3).mapToObj(i -> GatewayIT.envelope(Ids.newEventId(), incident, "quorum.incident.escalated",
        "{\"level\":2,\"target\":\"team:db\",\"reason\":\"manual\"}")).collect(Collectors.joining(",", "[", "]"));
    return mutated(List.of(one, alert, batch));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(CONTENT_TYPES);
  }

  @Provide
  Arbitrary<byte[]> alertmanager() {
    return mutated(List.of(Samples.text("alertmanager/firing.json"), Samples.text("alertmanager/resolved.json"),
        Samples.text("alertmanager/group.json"), Samples.text("alertmanager/truncated.json")));
  }

  @Provide
  Arbitrary<byte[]> pagerduty() {
    return mutated(List.of(Samples.text("pagerduty/trigger.json"), Samples.text("pagerduty/trigger-minimal.json"),
        Samples.text("pagerduty/acknowledge.json"), Samples.text("pagerduty/resolve.json")));
  }

  private static Arbitrary<byte[]> mutated(List<String> samples) {
    return Arbitraries.of(samples).flatMap(sample -> Arbitraries.longs()
        .map(seed -> Mutations.json(sample.getBytes(StandardCharsets.UTF_8), seed)));
  }

  /** A slash command with a text from the command grammar, sometimes garbled. */
  private static List<Map.Entry<String, String>> slashCommand(Random random, long seed) {
    String[] verbs = {"ack", "unack", "resolve", "mitigate", "reopen", "close", "note", "assign", "unassign", "role", "severity",
        "status", "help", "bind", "unbind", "declare", "ACK", "", "frobnicate"};
    String[] args = {UUID.randomUUID().toString(), "<@U0G9QF9C6|alice>", "<@U1H8RG8D7>", "@bob", "commander", "critical", "sev2",
        "rolled back", "<#C024BE7LR|general>", "&lt;b&gt;", "not-a-uuid", "8d0c5a3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f"};
    StringBuilder text = new StringBuilder(verbs[random.nextInt(verbs.length)]);
    for (int i = random.nextInt(4); i > 0; i--) text.append(random.nextBoolean() ? " " : "\n").append(args[random.nextInt(args.length)]);
    if (random.nextInt(5) == 0) text.append(' ').append(Mutations.text(random));
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    fields.add(Map.entry("token", "xyzz0WbapA4vBCDEFasx0q6G"));
    fields.add(Map.entry("team_id", "T1DC2JH3J"));
    fields.add(Map.entry("team_domain", "testteamnow"));
    fields.add(Map.entry("channel_id", "C" + random.nextInt(5)));
    fields.add(Map.entry("user_id", "U2CERLKJA"));
    fields.add(Map.entry("user_name", "roadrunner"));
    fields.add(Map.entry("command", "/incident"));
    fields.add(Map.entry("text", text.toString()));
    fields.add(Map.entry("response_url", "https://hooks.slack.com/commands/T1DC2JH3J/1/x"));
    fields.add(Map.entry("trigger_id", "7001." + Long.toHexString(seed) + "." + Long.toHexString(System.nanoTime())));
    return fields;
  }
}
