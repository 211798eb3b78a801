package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.escalated;
import static dev.quorum.event.testing.Catalogue.mergedInto;
import static dev.quorum.event.testing.Catalogue.reopened;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Severity;
import dev.quorum.event.testing.History;
import dev.quorum.projection.cli.ProjectionCli;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.Record;
import dev.quorum.projection.testing.TestProjection;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Views rebuilt from the database, and a lost committed topic replayed from it, equal the live views. */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RebuildIT {
  private static final TopicNames LIVE = TestProjection.topics("rebuild-it.live");
  private static final String SERVICE = "rebuild-" + UUID.randomUUID();

  private static KafkaBroker broker;
  private static PostgresDatabase database;
  private static Record record;
  private static ProjectionService live;
  private static Api liveApi;
  private static final List<UUID> early = new ArrayList<>();
  private static final List<UUID> late = new ArrayList<>();
  private static Instant between;

  @BeforeAll
  static void start(KafkaBroker kafka, PostgresDatabase db) {
    broker = kafka;
    database = db;
    record = new Record(database, broker);
    live = TestProjection.start(TestProjection.settings(broker, database, "rebuild-it-live", LIVE));
    liveApi = new Api(live.address());
    // Two groups of incidents, recorded before and after `between`; delivered shuffled with repeats.
    List<Event> first = new ArrayList<>();
    for (int i = 0; i < 6; i++) first.addAll(incident(early, i));
    List<Event> stored = new ArrayList<>(record.store(first));
    between = stored.stream().map(e -> e.stored().recordedAt()).max(Instant::compareTo).orElseThrow().plusNanos(1_000);
    List<Event> second = new ArrayList<>();
    for (int i = 6; i < 10; i++) second.addAll(incident(late, i));
    await().until(() -> Instant.now().isAfter(between));
    stored.addAll(record.store(second));
    List<Event> deliveries = new ArrayList<>(stored);
    deliveries.addAll(stored.subList(0, 10));
    Collections.shuffle(deliveries, new Random(3));
    record.publish(LIVE.committed(), deliveries);
    // A busy incident stored over several transactions of several statements each: rows of one
    // statement share a recording time, so recording order is not its fold order.
    List<Event> busyStored = record.store(busy());
    record.publish(LIVE.committed(), busyStored.stream().sorted(java.util.Comparator.comparing(Event::orderKey)).toList());
    await().atMost(Duration.ofSeconds(60)).until(() -> liveApi.get("/v1/incidents?limit=1000&service=" + SERVICE).json()
        .path("items").size() == episodes(stored));
    await().atMost(Duration.ofSeconds(60)).until(() ->
        liveApi.get("/v1/incidents/" + BUSY.incidentId()).json().path("events").asLong() == busyStored.size());
  }

  /** A flapping alert: 1,700 events, 850 episodes, more than three transactions of up to 1,000 events. */
  private static final History BUSY = History.random();

  private static List<Event> busy() {
    for (int i = 0; i < 850; i++) {
      BUSY.add(new EventData.AlertFired("fp-busy", "Flapping", "busy-" + SERVICE, Severity.WARNING, Map.of()));
      BUSY.add(signalResolved("fp-busy"));
    }
    return BUSY.events();
  }

  @AfterAll
  static void stop() {
    if (live != null) live.close();
    if (record != null) record.close();
  }

  @Test
  void rebuild_from_the_database_equals_the_live_views() {
    // Given: a new generation of the views whose committed topic is empty (lost, truncated)
    TopicNames fresh = TestProjection.topics("rebuild-it.fresh");
    Map<String, String> settings = TestProjection.settings(broker, database, "rebuild-it-fresh", fresh);
    try (ProjectionService rebuilt = TestProjection.start(settings)) {
      Api api = new Api(rebuilt.address());

      // When
      StringWriter progress = new StringWriter();
      int exit = run(settings, progress, "rebuild", "--to", Instant.now().plusSeconds(60).toString());

      // Then
      assertThat(exit).isZero();
      assertThat(progress.toString()).contains("100%", "rebuild: sent");
      awaitSameViews(api, early);
      awaitSameViews(api, late);
      awaitSameViews(api, List.of(BUSY.incidentId()));
      assertThat(list(api)).isEqualTo(list(liveApi));
      assertThat(rebuilt.registry().get("quorum.projection.events").tag("outcome", "refolded").counter().count())
          .describedAs("events sent in fold order apply incrementally, across statements and transactions").isZero();
      // the buckets follow the views through the samples' repartition topic, a commit later
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.get("/v1/analytics/daily?service=" + SERVICE).json())
          .isEqualTo(liveApi.get("/v1/analytics/daily?service=" + SERVICE).json()));
    }
  }

  @Test
  void replay_refills_a_lost_committed_topic_for_the_time_range_asked() {
    // Given
    TopicNames lost = TestProjection.topics("rebuild-it.replayed");
    Map<String, String> settings = TestProjection.settings(broker, database, "rebuild-it-replayed", lost);
    try (ProjectionService replayed = TestProjection.start(settings)) {
      Api api = new Api(replayed.address());

      // When: only what was recorded before `between`
      StringWriter progress = new StringWriter();
      int exit = run(settings, progress, "replay", "--from", "2000-01-01T00:00:00Z", "--to", between.toString());

      // Then
      assertThat(exit).isZero();
      assertThat(progress.toString()).contains("replay: sent");
      awaitSameViews(api, early);
      for (UUID incident : late) assertThat(api.get("/v1/incidents/" + incident).status()).isEqualTo(404);
    }
  }

  @Test
  void a_command_without_a_database_is_a_configuration_error() {
    Map<String, String> settings = TestProjection.settings(broker, null, "rebuild-it-nodb", TestProjection.topics("rebuild-it.nodb"));
    StringWriter err = new StringWriter();
    assertThat(run(settings, err, "rebuild")).isEqualTo(2);
    assertThat(err.toString()).contains("db.url is required");
  }

  // ------------------------------------------------------------------ helpers

  /** One incident with two episodes, a late ack, escalations, reopens, and every tenth merged. */
  private static List<Event> incident(List<UUID> ids, int i) {
    History history = History.random();
    ids.add(history.incidentId());
    history.add(signal("fp-a"));
    history.add(escalated(1));
    history.add(ack());
    history.add(signalResolved("fp-a"));
    history.add(reopened());
    history.add(resolved());
    history.add(signal("fp-b"));
    if (i % 5 == 0) history.add(mergedInto(UUID.randomUUID()));
    return history.events();
  }

  private static EventData.AlertFired signal(String fingerprint) {
    return new EventData.AlertFired(fingerprint, "Disk full", SERVICE, Severity.ERROR, Map.of());
  }

  private static int episodes(List<Event> stored) {
    return (int) stored.stream().filter(e -> e.data() instanceof EventData.AlertFired).count();
  }

  private static int run(Map<String, String> settings, StringWriter err, String... command) {
    List<String> args = new ArrayList<>();
    settings.forEach((k, v) -> {
      args.add("--set");
      args.add(k + "=" + v);
    });
    args.addAll(List.of(command));
    CommandLine cli = ProjectionCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  private static void awaitSameViews(Api api, List<UUID> incidents) {
    for (UUID incident : incidents) {
      String path = "/v1/incidents/" + incident;
      JsonNode expected = liveApi.get(path).json();
      await().atMost(Duration.ofSeconds(60)).until(() -> expected.equals(api.get(path).json()));
      assertThat(api.get(path + "/timeline").json()).isEqualTo(liveApi.get(path + "/timeline").json());
      assertThat(api.get(path + "/episodes/1").json()).isEqualTo(liveApi.get(path + "/episodes/1").json());
    }
  }

  private static JsonNode list(Api api) {
    return api.get("/v1/incidents?limit=1000&service=" + SERVICE).json();
  }
}
