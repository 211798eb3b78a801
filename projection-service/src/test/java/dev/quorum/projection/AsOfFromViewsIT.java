package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * RECORDED as-of answers from the checkpoints of the instance that runs the incident's partition, once its
 * views hold every event published before the instant and the settling time (ADR 8), equal to the fold of
 * the event log; before that, the event log answers.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AsOfFromViewsIT {
  private static final TopicNames TOPICS = TestProjection.topics("as-of-views-it");

  private static Record record;
  private static ProjectionService projection;
  private static Api api;

  @BeforeAll
  static void start(KafkaBroker broker, PostgresDatabase database) {
    record = new Record(database, broker);
    Map<String, String> settings = new java.util.HashMap<>(TestProjection.settings(broker, database, "as-of-views-it", TOPICS));
    settings.put("db.transaction.cap", "200ms"); // a short settling time: the test need not wait 30 s
    projection = TestProjection.start(settings);
    api = new Api(projection.address());
    await().atMost(Duration.ofSeconds(60)).until(() -> projection.ready() && api.get("/v1/incidents").status() == 200);
  }

  @AfterAll
  static void stop() {
    if (projection != null) projection.close();
    if (record != null) record.close();
  }

  @Test
  void a_settled_recorded_answer_comes_from_the_checkpoints_and_equals_the_fold() {
    // Given: 20 episodes of a flapping alert, one transaction each, applied by the views
    History history = History.random();
    List<Event> stored = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stored.addAll(record.storeAndPublish(TOPICS.committed(),
          List.of(history.add(fired("fp-a")), history.add(ack()), history.add(signalResolved("fp-a")))));
    }
    String path = "/v1/incidents/" + history.incidentId();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Answer answer = api.get(path);
      return answer.status() == 200 && answer.json().get("events").asLong() == stored.size();
    });
    Instant instant = stored.get(14 * 3 + 1).stored().recordedAt(); // the transaction of episode 15
    IncidentState expected = Fold.foldAsOf(stored, instant, Axis.RECORDED);

    // When: the lag probe has found the views caught up since
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> "views".equals(source(api.get(path + "?asOf=" + instant))));
    Answer state = api.get(path + "?asOf=" + instant);
    Answer episode = api.get(path + "/episodes/15?asOf=" + instant + "&axis=recorded");
    Answer earlier = api.get(path + "/episodes/3?asOf=" + instant);

    // Then
    assertThat(source(state)).isEqualTo("views");
    assertThat(state.json().get("view")).isEqualTo(json(Views.stream(expected)));
    assertThat(state.json().get("settled").asBoolean()).isTrue();
    assertThat(source(episode)).isEqualTo("views");
    assertThat(episode.json().get("view")).isEqualTo(json(Views.incident(history.incidentId(), expected.episode(15).orElseThrow())));
    assertThat(source(earlier)).isEqualTo("views");
    assertThat(earlier.json().get("view")).isEqualTo(json(Views.incident(history.incidentId(), expected.episode(3).orElseThrow())));
    Answer timeline = api.get(path + "/timeline?asOf=" + instant + "&episode=15");
    assertThat(source(timeline)).isEqualTo("views");
    assertThat(timeline.json().get("view").get("entries")).isEqualTo(json(Fold.timeline(Fold.upTo(stored, instant, Axis.RECORDED))
        .stream().filter(e -> e.episode() == 15).map(Views::timeline).toList()));
    assertThat(timeline.json().get("view").get("entries")).hasSize(3);
    // an instant the views cannot vouch for yet (later than their last measured catch-up), and the
    // OCCURRED axis, are answered by the event log
    Answer unsettled = api.get(path + "?asOf=" + Instant.now().plusSeconds(3600));
    assertThat(source(unsettled)).isEqualTo("event-log");
    assertThat(unsettled.json().get("view")).isEqualTo(json(Views.stream(Fold.fold(stored))));
    Answer occurred = api.get(path + "?asOf=" + instant + "&axis=occurred");
    assertThat(source(occurred)).isEqualTo("event-log");
  }

  private static String source(Answer answer) {
    return answer.headers().firstValue("X-Quorum-As-Of-Source").orElse(null);
  }

  private static JsonNode json(Object view) {
    return ProjectionIT.json(view);
  }
}
