package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * the event log; before that, the event log answers. Two instances: one asked for an incident the other
 * holds relays the request to it, and its views answer.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AsOfFromViewsIT {
  private static final TopicNames TOPICS = TestProjection.topics("as-of-views-it");

  private static Record record;
  private static ProjectionService first;
  private static ProjectionService second;

  @BeforeAll
  static void start(KafkaBroker broker, PostgresDatabase database) {
    record = new Record(database, broker);
    first = TestProjection.start(settings(broker, database));
    second = TestProjection.start(settings(broker, database));
    await().atMost(Duration.ofSeconds(60)).until(() -> List.of(first, second).stream()
        .allMatch(p -> p.ready() && new Api(p.address()).get("/v1/incidents").status() == 200));
  }

  private static Map<String, String> settings(KafkaBroker broker, PostgresDatabase database) {
    Map<String, String> settings = new java.util.HashMap<>(TestProjection.settings(broker, database, "as-of-views-it", TOPICS));
    settings.put("db.transaction.cap", "200ms"); // a short settling time: the test need not wait 30 s
    return settings;
  }

  @AfterAll
  static void stop() {
    if (first != null) first.close();
    if (second != null) second.close();
    if (record != null) record.close();
  }

  @Test
  void a_settled_recorded_answer_comes_from_the_checkpoints_and_equals_the_fold() {
    // Given: 20 episodes of a flapping alert, one transaction each, applied by the views; asked of their owner
    History history = History.random();
    List<Event> stored = flapping(history, 20);
    String path = "/v1/incidents/" + history.incidentId();
    Api api = owner(path);
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

  @Test
  void an_instance_asked_for_an_incident_the_other_holds_passes_on_the_answer_of_its_views() {
    // Given: 5 episodes, applied by the instance that holds the incident
    History history = History.random();
    List<Event> stored = flapping(history, 5);
    String path = "/v1/incidents/" + history.incidentId();
    Api owner = owner(path);
    Api other = owner.host().equals(first.address()) ? new Api(second.address()) : new Api(first.address());
    Instant instant = stored.get(3 * 3 + 1).stored().recordedAt(); // the transaction of episode 4
    IncidentState expected = Fold.foldAsOf(stored, instant, Axis.RECORDED);

    // When: asked of the other instance, once the owner's views hold the instant
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> "views".equals(source(other.get(path + "?asOf=" + instant))));
    List<String> asked = List.of(path + "?asOf=" + instant, path + "/episodes/4?asOf=" + instant + "&axis=recorded",
        path + "/episodes/2?asOf=" + instant, path + "/timeline?asOf=" + instant + "&episode=4");

    // Then: the owner's answer from its views, named as the owner's, the same as asking the owner
    for (String request : asked) {
      Answer relayed = other.get(request);
      Answer direct = owner.get(request);
      assertThat(relayed.status()).as(request).isEqualTo(200);
      assertThat(source(relayed)).as(request).isEqualTo("views");
      assertThat(relayed.servedBy()).as(request).isEqualTo(direct.servedBy()).isNotEqualTo(name(other));
      assertThat(withoutHorizon(relayed)).as(request).isEqualTo(withoutHorizon(direct));
    }
    assertThat(other.get(asked.getFirst()).json().get("view")).isEqualTo(json(Views.stream(expected)));
    assertThat(other.get(asked.get(1)).json().get("view"))
        .isEqualTo(json(Views.incident(history.incidentId(), expected.episode(4).orElseThrow())));
    // the OCCURRED axis stays with the instance asked, on the event log
    Answer occurred = other.get(path + "?asOf=" + instant + "&axis=occurred");
    assertThat(source(occurred)).isEqualTo("event-log");
    assertThat(occurred.servedBy()).isEqualTo(name(other));
    assertThat(occurred.json().get("view")).isEqualTo(json(Views.stream(Fold.foldAsOf(stored, instant, Axis.OCCURRED))));
  }

  /** {@code episodes} episodes of a flapping alert, one transaction each, once the views applied them all. */
  private static List<Event> flapping(History history, int episodes) {
    List<Event> stored = new ArrayList<>();
    for (int i = 0; i < episodes; i++) {
      stored.addAll(record.storeAndPublish(TOPICS.committed(),
          List.of(history.add(fired("fp-a")), history.add(ack()), history.add(signalResolved("fp-a")))));
    }
    Api api = new Api(first.address());
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Answer answer = api.get("/v1/incidents/" + history.incidentId());
      return answer.status() == 200 && answer.json().get("events").asLong() == stored.size();
    });
    return stored;
  }

  /** The instance that holds the incident (it names itself in its answers, relayed or not). */
  private static Api owner(String path) {
    String name = new Api(first.address()).get(path).servedBy();
    return name.equals(name(new Api(first.address()))) ? new Api(first.address()) : new Api(second.address());
  }

  private static String name(Api api) {
    return api.host().host() + ":" + api.host().port();
  }

  /** The answer without the settled horizon, which is "now" minus the settling time when it was asked. */
  private static JsonNode withoutHorizon(Answer answer) {
    ObjectNode copy = answer.json().deepCopy();
    copy.remove("settledHorizon");
    return copy;
  }

  private static String source(Answer answer) {
    return answer.headers().firstValue("X-Quorum-As-Of-Source").orElse(null);
  }

  private static JsonNode json(Object view) {
    return ProjectionIT.json(view);
  }
}
