package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.reopened;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Severity;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.History;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.kafka.ViewSerdes;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.Api.Answer;
import dev.quorum.projection.testing.Record;
import dev.quorum.projection.testing.TestProjection;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Two instances of one projection on the real broker and database, fed the way the writer feeds them. */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionIT {
  private static final TopicNames TOPICS = TestProjection.topics("projection-it");

  private static Record record;
  private static ProjectionService first;
  private static ProjectionService second;
  private static Api a;
  private static Api b;

  @BeforeAll
  static void start(KafkaBroker broker, PostgresDatabase database) {
    record = new Record(database, broker);
    first = TestProjection.start(TestProjection.settings(broker, database, "projection-it", TOPICS));
    second = TestProjection.start(TestProjection.settings(broker, database, "projection-it", TOPICS));
    a = new Api(first.address());
    b = new Api(second.address());
    await().atMost(Duration.ofSeconds(60)).until(() -> first.ready() && second.ready()
        && a.get("/v1/incidents").status() == 200 && b.get("/v1/incidents").status() == 200);
  }

  @AfterAll
  static void stop() {
    if (second != null) second.close();
    if (first != null) first.close();
    if (record != null) record.close();
  }

  @Test
  void published_events_show_in_the_views_and_in_the_event_status() {
    // Given
    History history = History.random();
    history.add(triggered("payments"));
    history.add(ack());
    history.add(assigned("user:bob"));
    List<Event> stored = record.storeAndPublish(TOPICS.committed(), history.events());
    Event storedOnly = record.store(List.of(history.add(note("not published yet")))).getFirst();

    // When
    Answer incident = awaitAnswer(a, "/v1/incidents/" + history.incidentId(), 200, "events", 3);

    // Then
    assertThat(incident.json()).isEqualTo(json(Views.stream(Fold.fold(stored))));
    Answer timeline = a.get("/v1/incidents/" + history.incidentId() + "/timeline");
    assertThat(timeline.json().get("entries")).isEqualTo(json(Fold.timeline(stored).stream().map(Views::timeline).toList()));
    Answer applied = b.get("/v1/events/" + stored.get(1).id());
    assertThat(applied.json().get("stored").asBoolean()).isTrue();
    assertThat(applied.json().get("applied").asBoolean()).isTrue();
    assertThat(applied.json().get("effect").asText()).isEqualTo("applied");
    Answer pending = a.get("/v1/events/" + storedOnly.id());
    assertThat(pending.json().get("stored").asBoolean()).isTrue();
    assertThat(pending.json().get("applied").asBoolean()).isFalse();
    Answer unknown = b.get("/v1/events/" + UUID.randomUUID());
    assertThat(unknown.json().get("stored").asBoolean()).isFalse();
  }

  @Test
  void redelivered_and_shuffled_events_give_identical_views() {
    // Given: a flapping signal, acknowledged, reopened; stored once, delivered shuffled with repeats
    History history = History.random();
    history.add(fired("fp-a"));
    history.add(ack());
    history.add(signalResolved("fp-a"));
    history.add(reopened());
    history.add(fired("fp-b"));
    history.add(resolved());
    history.add(fired("fp-a"));
    List<Event> stored = record.store(history.events());
    List<Event> deliveries = new ArrayList<>(stored);
    deliveries.addAll(stored.subList(0, 4));
    Collections.shuffle(deliveries, new Random(42));

    // When
    record.publish(TOPICS.committed(), deliveries);

    // Then
    String path = "/v1/incidents/" + history.incidentId();
    Answer incident = awaitAnswer(b, path, 200, "events", stored.size());
    assertThat(incident.json()).isEqualTo(json(Views.stream(Fold.fold(stored))));
    assertThat(a.get(path + "/timeline").json().get("entries"))
        .isEqualTo(json(Fold.timeline(stored).stream().map(Views::timeline).toList()));
    assertThat(a.get(path + "/episodes/1").json()).isEqualTo(json(Views.incident(history.incidentId(), Fold.fold(stored).episode(1).orElseThrow())));
  }

  @Test
  void signals_of_a_merged_stream_show_on_the_target_whichever_instance_holds_it() {
    // Given: an open target, and an alert group merged into it while its alert fires
    History target = History.random();
    History source = History.of(UUID.randomUUID()).elapse(Duration.ofSeconds(30));
    List<Event> events = new ArrayList<>();
    events.add(target.add(triggered("payments")));
    events.add(source.add(fired("fp-1")));
    events.add(source.add(new EventData.IncidentMerged(target.incidentId())));

    // When: the group fires again with a new alert
    events.add(source.add(fired("fp-2")));
    record.storeAndPublish(TOPICS.committed(), events);

    // Then: both show on the target, with the source's signals in its timeline
    String path = "/v1/incidents/" + target.incidentId() + "/episodes/1";
    Answer onTarget = awaitAnswer(a, path, 200, "firingSignals", 2);
    assertThat(onTarget.json().get("signals").get("fp-2").asText()).isEqualTo("firing");
    assertThat(b.get("/v1/incidents/" + target.incidentId() + "/timeline").json().get("entries")).hasSize(3);
    assertThat(b.get("/v1/incidents/" + target.incidentId()).json().get("latest").get("firingSignals").asInt())
        .isEqualTo(2);
  }

  @Test
  void an_episodes_signals_page_in_fingerprint_order() {
    // Given: one episode with three signals, one resolved
    History history = History.random();
    history.add(fired("fp-c"));
    history.add(fired("fp-a"));
    history.add(fired("fp-b"));
    history.add(signalResolved("fp-a"));
    record.storeAndPublish(TOPICS.committed(), history.events());
    String path = "/v1/incidents/" + history.incidentId() + "/episodes/1";
    awaitAnswer(a, "/v1/incidents/" + history.incidentId(), 200, "events", 4);

    // When
    Answer first = b.get(path + "/signals?limit=2");
    Answer second = a.get(path + "/signals?limit=2&cursor=" + first.json().get("next").asText());

    // Then
    assertThat(first.json().get("signals")).isEqualTo(json(List.of(
        Map.of("fingerprint", "fp-a", "status", "resolved"), Map.of("fingerprint", "fp-b", "status", "firing"))));
    assertThat(first.json().get("next").asText()).isEqualTo("fp-b");
    assertThat(second.json().get("signals")).isEqualTo(json(List.of(Map.of("fingerprint", "fp-c", "status", "firing"))));
    assertThat(second.json().get("next").isNull()).isTrue();
    assertThat(a.get("/v1/incidents/" + history.incidentId() + "/episodes/2/signals").status()).isEqualTo(404);
  }

  @Test
  void as_of_answers_equal_the_fold_of_the_events_up_to_that_instant() {
    // Given: three transactions, so three recording instants
    History history = History.random();
    List<Event> stored = new ArrayList<>();
    stored.addAll(record.storeAndPublish(TOPICS.committed(), List.of(history.add(triggered("search")))));
    stored.addAll(record.storeAndPublish(TOPICS.committed(), List.of(history.add(ack()), history.add(assigned("user:eve")))));
    stored.addAll(record.storeAndPublish(TOPICS.committed(), List.of(history.add(resolved()))));
    List<Instant> recorded = stored.stream().map(e -> e.stored().recordedAt()).distinct().sorted().toList();
    assertThat(recorded).hasSize(3);
    String path = "/v1/incidents/" + history.incidentId();

    for (Instant instant : recorded) {
      // When
      Answer answer = a.get(path + "?asOf=" + instant + "&axis=recorded");

      // Then
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().get("view")).isEqualTo(json(Views.stream(Fold.foldAsOf(stored, instant, Axis.RECORDED))));
      assertThat(answer.json().get("axis").asText()).isEqualTo("recorded");
      assertThat(Instant.parse(answer.json().get("settledHorizon").asText())).isBefore(Instant.now());
      assertThat(answer.json().get("settled").asBoolean()).isFalse(); // recorded a moment ago: not settled yet
    }
    for (Event event : stored) {
      Answer answer = b.get(path + "?asOf=" + event.occurredAt() + "&axis=occurred");
      assertThat(answer.json().get("view"))
          .isEqualTo(json(Views.stream(Fold.foldAsOf(stored, event.occurredAt(), Axis.OCCURRED))));
      assertThat(answer.json().has("settledHorizon") && !answer.json().get("settledHorizon").isNull()).isFalse();
    }
    assertThat(a.get(path + "/timeline?asOf=" + recorded.get(1) + "&axis=recorded").json().get("view").get("entries"))
        .hasSize(3);
    assertThat(b.get(path + "?asOf=" + recorded.getFirst().minusSeconds(1)).status()).isEqualTo(404);
  }

  @Test
  void two_instances_answer_for_each_others_incidents_and_list_them_together() {
    // Given: incidents on every partition of the topic
    String service = "svc-" + UUID.randomUUID();
    List<UUID> incidents = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      History history = History.random();
      history.add(triggered(service));
      incidents.add(history.incidentId());
      events.addAll(history.events());
    }
    record.storeAndPublish(TOPICS.committed(), events);
    await().atMost(Duration.ofSeconds(30)).until(() -> a.get("/v1/incidents?limit=100&service=" + service).json().get("items").size() == 20);

    // When
    Set<String> servers = new HashSet<>();
    for (UUID incident : incidents) {
      Answer fromA = a.get("/v1/incidents/" + incident);
      Answer fromB = b.get("/v1/incidents/" + incident);

      // Then
      assertThat(fromA.status()).isEqualTo(200);
      assertThat(fromA.json()).isEqualTo(fromB.json());
      assertThat(fromA.servedBy()).isEqualTo(fromB.servedBy());
      servers.add(fromA.servedBy());
    }
    assertThat(servers).hasSize(2);
    JsonNode listA = a.get("/v1/incidents?limit=100&service=" + service).json();
    JsonNode listB = b.get("/v1/incidents?limit=100&service=" + service).json();
    assertThat(listA).isEqualTo(listB);
    assertThat(listA.get("items")).hasSize(20);
    assertThat(listA.get("next").isNull()).isTrue();
  }

  @Test
  void a_list_pages_across_instances_without_gaps_or_repeats() {
    // Given
    String service = "paged-" + UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      History history = History.random();
      history.add(triggered(service));
      events.addAll(history.events());
      expected.add(history.incidentId() + "/1");
    }
    record.storeAndPublish(TOPICS.committed(), events);
    await().atMost(Duration.ofSeconds(30)).until(() -> a.get("/v1/incidents?limit=100&service=" + service).json().get("items").size() == 9);

    // When
    Set<String> seen = new HashSet<>();
    int pages = 0;
    String cursor = null;
    do {
      JsonNode page = b.get("/v1/incidents?limit=4&service=" + service + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.get("items").forEach(item -> assertThat(seen.add(item.get("incidentId").asText() + "/" + item.get("episode").asInt())).isTrue());
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    } while (cursor != null);

    // Then
    assertThat(seen).isEqualTo(expected);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void analytics_are_served_from_all_instances_together() {
    // Given: five episodes of one service, each acknowledged one minute after its trigger
    String service = "analytics-" + UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      History history = History.random();
      history.add(triggered(service));
      history.add(ack());
      events.addAll(history.events());
    }
    record.storeAndPublish(TOPICS.committed(), events);

    // When
    String path = "/v1/analytics/summary?by=service&service=" + service;
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode rows = b.get(path).json();
      return rows.size() == 1 && rows.get(0).get("acknowledged").asInt() == 5;
    });

    // Then
    JsonNode row = a.get(path).json().get(0);
    assertThat(row.get("service").asText()).isEqualTo(service);
    assertThat(row.get("episodes").asInt()).isEqualTo(5);
    assertThat(row.get("meanSecondsToAcknowledge").asDouble()).isEqualTo(60.0);
    assertThat(a.get("/v1/analytics/daily?service=" + service).json().get(0).get("day").asText()).isEqualTo("2026-06-15");
  }

  @Test
  void once_the_views_caught_up_the_lag_is_zero_per_partition_however_long_ago_the_last_event_was() {
    // Given: an event applied, then nothing more
    History history = History.random();
    history.add(triggered("lag"));
    record.storeAndPublish(TOPICS.committed(), history.events());
    awaitAnswer(a, "/v1/incidents/" + history.incidentId(), 200, "events", 1);

    // Then: measured from offsets (transaction markers are not events), both instances read 0
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
        a.metric("quorum_projection_end_to_end_lag_seconds") == 0.0 && b.metric("quorum_projection_end_to_end_lag_seconds") == 0.0);
    assertThat(a.get("/metrics", null).text() + b.get("/metrics", null).text())
        .contains("quorum_projection_partition_oldest_unapplied_seconds{", "quorum_projection_partition_lag{");
    // and no partition of either waits to catch up
    assertThat(a.metric("quorum_projection_partitions_catching_up") + b.metric("quorum_projection_partitions_catching_up"))
        .isZero();
  }


  @Test
  void the_query_api_wants_a_token_and_the_ops_endpoints_answer() {
    assertThat(a.get("/v1/incidents", null).status()).isEqualTo(401);
    assertThat(a.get("/v1/incidents", "Bearer wrong").status()).isEqualTo(401);
    assertThat(a.get("/v1/incidents?status=sleeping").status()).isEqualTo(400);
    assertThat(a.get("/v1/incidents?status=sleeping").json().get("field").asText()).isEqualTo("status");
    assertThat(a.get("/v1/incidents/not-a-uuid").json().get("field").asText()).isEqualTo("id");
    assertThat(a.get("/v1/incidents?cursor=bogus").json().get("field").asText()).isEqualTo("cursor");
    assertThat(b.get("/v1/incidents/" + UUID.randomUUID() + "?asOf=yesterday").json().get("field").asText()).isEqualTo("asOf");
    assertThat(b.get("/v1/incidents/" + UUID.randomUUID() + "?asOf=2026-06-15T00:00:00Z&axis=sideways").status()).isEqualTo(400);
    assertThat(a.get("/v1/incidents?limit=100000").status()).isEqualTo(400);
    assertThat(a.get("/v1/incidents/" + UUID.randomUUID() + "/episodes/0").json().get("field").asText()).isEqualTo("number");
    assertThat(a.get("/v1/incidents/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(b.get("/v1/incidents/" + UUID.randomUUID() + "/timeline").status()).isEqualTo(404);
    assertThat(a.get("/healthz", null).status()).isEqualTo(200);
    assertThat(b.get("/readyz", null).status()).isEqualTo(200);
    assertThat(a.get("/metrics", null).text()).contains("quorum_projection_end_to_end_lag_seconds", "quorum_projection_events_total");
  }

  @Test
  void an_incident_of_ten_thousand_events_stays_within_the_record_size_limits(KafkaBroker broker) {
    // Given: a flapping alert group, fired and resolved 5,000 times
    History history = History.random();
    String service = "flapping-" + UUID.randomUUID();
    for (int i = 0; i < 5_000; i++) {
      history.add(new EventData.AlertFired("fp-flap", "Flapping", service, Severity.WARNING, Map.of("n", "1")));
      history.add(signalResolved("fp-flap"));
    }

    // When
    record.publish(TOPICS.committed(), history.events());

    // Then
    String path = "/v1/incidents/" + history.incidentId();
    Answer incident = awaitAnswer(a, path, 200, "events", 10_000, Duration.ofSeconds(120));
    assertThat(incident.json().get("episodes").asInt()).isEqualTo(5_000);
    assertThat(ChangelogSizes.largestValue(broker, "projection-it", Set.of("incident-state", "incident-timeline", "incident-episodes")))
        .isLessThan(16 * 1024);
    assertThat(b.get(path + "/timeline?limit=1000&episode=4321").json().get("entries")).hasSize(2);
  }

  // ------------------------------------------------------------------ helpers

  static EventData.IncidentTriggered triggered(String service) {
    return new EventData.IncidentTriggered("Latency above SLO", service, Severity.CRITICAL, null);
  }

  /** The value as the API writes it and a client reads it back (numbers typed by their text, as parsed). */
  static JsonNode json(Object value) {
    try {
      return ViewSerdes.JSON.readTree(ViewSerdes.JSON.writeValueAsBytes(value));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Answer awaitAnswer(Api api, String path, int status, String field, int value) {
    return awaitAnswer(api, path, status, field, value, Duration.ofSeconds(30));
  }

  static Answer awaitAnswer(Api api, String path, int status, String field, int value, Duration timeout) {
    return await().atMost(timeout).pollInterval(Duration.ofMillis(200))
        .until(() -> api.get(path), answer -> answer.status() == status && answer.json().get(field).asInt() == value);
  }

}
