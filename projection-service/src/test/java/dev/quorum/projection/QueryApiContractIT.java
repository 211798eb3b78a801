package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.escalated;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.followup;
import static dev.quorum.event.testing.Catalogue.followupDone;
import static dev.quorum.event.testing.Catalogue.mitigated;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.reopened;
import static dev.quorum.event.testing.Catalogue.resolved;
import static dev.quorum.event.testing.Catalogue.role;
import static dev.quorum.event.testing.Catalogue.severity;
import static dev.quorum.event.testing.Catalogue.unknown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Role;
import dev.quorum.event.Schemas;
import dev.quorum.event.Severity;
import dev.quorum.event.testing.History;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.Api.Answer;
import dev.quorum.projection.testing.ApiContract;
import dev.quorum.projection.testing.Record;
import dev.quorum.projection.testing.TestProjection;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real answers of every route of the query API, successes and problems, checked against the OpenAPI
 * document the instance serves (and the record schemas it refers to, fetched from the instance).
 * The 503 answers are checked in {@code QueryApiUnavailableTest}, where the views and the log are down.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryApiContractIT {
  private static final TopicNames TOPICS = TestProjection.topics("contract-it");
  /** A client without the read scope. */
  private static final String PUBLISHER_TOKEN = "publisher-only-token";
  private static final String SERVICE = "contract-" + UUID.randomUUID();

  private static Record record;
  private static ProjectionService projection;
  private static Api api;
  private static ApiContract contract;
  private static History history;
  private static List<Event> stored;

  @BeforeAll
  static void start(KafkaBroker broker, PostgresDatabase database) {
    record = new Record(database, broker);
    Map<String, String> settings = TestProjection.settings(broker, database, "contract-it", TOPICS);
    settings.put("projection.http.clients", settings.get("projection.http.clients")
        + ",publisher:" + BearerAuth.hash(PUBLISHER_TOKEN) + ";scopes=publish");
    projection = TestProjection.start(settings);
    api = new Api(projection.address());
    contract = ApiContract.servedBy(api);

    // One incident that fills every part of the views: two episodes' worth of lifecycle, roles,
    // assignees, signals, follow-ups, escalations, a note, an action without effect and an unknown type
    history = History.random();
    history.add(new EventData.IncidentTriggered("Checkout is down", SERVICE, Severity.CRITICAL, "5xx above 20 %"));
    history.add(ack());
    history.add(assigned("user:bob"));
    history.add(role(Role.COMMANDER, "user:alice"));
    history.add(fired("fp-checkout"));
    history.add(severity(Severity.ERROR));
    history.add(escalated(2));
    history.add(followup("f-1"));
    history.add(followup("f-2"));
    history.add(followupDone("f-1"));
    history.add(assigned("user:carol"));
    history.add(note("rolling back"));
    history.add(unknown("com.example.deployed"));
    history.add(resolved());
    history.add(ack()); // no effect: already resolved
    history.add(reopened());
    history.add(mitigated());
    stored = record.storeAndPublish(TOPICS.committed(), history.events());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      Answer answer = api.get("/v1/incidents/" + history.incidentId());
      return answer.status() == 200 && answer.json().get("events").asInt() == stored.size()
          && api.get("/v1/analytics/daily?service=" + SERVICE).json().size() == 1;
    });
  }

  @AfterAll
  static void stop() {
    if (projection != null) projection.close();
    if (record != null) record.close();
  }

  @Test
  @Order(1)
  void every_route_answers_as_documented() {
    UUID id = history.incidentId();
    Instant recordedAt = stored.getLast().stored().recordedAt();
    Instant occurredAt = stored.get(3).occurredAt();

    check("/v1/incidents", "/v1/incidents?service=" + SERVICE);
    check("/v1/incidents", "/v1/incidents?status=triggered,mitigated&status=acknowledged&severity=error&limit=5");
    check("/v1/incidents/{id}", "/v1/incidents/" + id);
    check("/v1/incidents/{id}", "/v1/incidents/" + id + "?asOf=" + recordedAt);
    check("/v1/incidents/{id}", "/v1/incidents/" + id + "?asOf=" + occurredAt + "&axis=occurred");
    check("/v1/incidents/{id}/episodes/{number}", "/v1/incidents/" + id + "/episodes/1");
    check("/v1/incidents/{id}/episodes/{number}", "/v1/incidents/" + id + "/episodes/1?asOf=" + recordedAt + "&axis=recorded");
    String signals = "/v1/incidents/{id}/episodes/{number}/signals";
    Answer signalPage = check(signals, "/v1/incidents/" + id + "/episodes/1/signals?limit=1");
    assertThat(signalPage.json().get("signals")).hasSize(1);
    if (!signalPage.json().get("next").isNull()) {
      check(signals, "/v1/incidents/" + id + "/episodes/1/signals?cursor=" + signalPage.json().get("next").asText());
    }
    // two follow-ups (one completed) and two assignees, a page of one each at a time
    for (String kind : List.of("followups", "assignees")) {
      String route = "/v1/incidents/{id}/episodes/{number}/" + kind;
      Answer first = check(route, "/v1/incidents/" + id + "/episodes/1/" + kind + "?limit=1");
      assertThat(first.json().get(kind)).as(kind).hasSize(1);
      Answer last = check(route, "/v1/incidents/" + id + "/episodes/1/" + kind + "?cursor=" + first.json().get("next").asText());
      assertThat(last.json().get(kind)).as(kind).hasSize(1);
      assertThat(last.json().get("next").isNull()).as(kind).isTrue();
    }
    Answer page = check("/v1/incidents/{id}/timeline", "/v1/incidents/" + id + "/timeline?limit=3");
    assertThat(page.json().get("next").isNull()).isFalse();
    check("/v1/incidents/{id}/timeline", "/v1/incidents/" + id + "/timeline?cursor=" + page.json().get("next").asText());
    check("/v1/incidents/{id}/timeline", "/v1/incidents/" + id + "/timeline?episode=1&limit=1000");
    check("/v1/incidents/{id}/timeline", "/v1/incidents/" + id + "/timeline?asOf=" + occurredAt + "&axis=occurred");
    Answer applied = check("/v1/events/{eventId}", "/v1/events/" + stored.get(1).id());
    assertThat(applied.json().get("applied").asBoolean()).isTrue();
    check("/v1/events/{eventId}", "/v1/events/" + UUID.randomUUID());
    Answer daily = check("/v1/analytics/daily", "/v1/analytics/daily?service=" + SERVICE + "&from=2026-01-01&to=2027-12-31");
    assertThat(daily.json()).hasSize(1);
    check("/v1/analytics/summary", "/v1/analytics/summary?service=" + SERVICE);
    check("/v1/analytics/summary", "/v1/analytics/summary?by=day&by=severity");
    check("/v1/analytics/summary", "/v1/analytics/summary?by=day,service,severity&severity=error");
    check("/openapi.json", "/openapi.json");
    Answer catalogue = check("/schemas", "/schemas");
    for (String name : Schemas.names()) {
      assertThat(catalogue.text()).contains("\"" + name + "\"");
      check("/schemas/{name}", "/schemas/" + name);
    }
    check("/metrics", "/metrics");
    check("/healthz", "/healthz");
    check("/readyz", "/readyz");
  }

  @Test
  @Order(2)
  void the_shares_instances_ask_each_other_for_answer_as_documented() {
    for (String route : List.of("/v1/incidents", "/v1/analytics/daily", "/v1/analytics/summary")) {
      Answer share = contract.check(route, api.send(api.request(route).GET()
          .header("Authorization", "Bearer " + Api.TOKEN).header("X-Quorum-Scope", "local").header("X-Quorum-Partitions", "0,1,2,3")));
      assertThat(share.status()).as(route).isEqualTo(200);
      Answer unnamed = contract.check(route, api.send(api.request(route).GET()
          .header("Authorization", "Bearer " + Api.TOKEN).header("X-Quorum-Scope", "local")));
      assertThat(unnamed.json().get("field").asText()).isEqualTo("X-Quorum-Partitions");
    }
  }

  @Test
  @Order(3)
  void bad_parameters_are_documented_problems_naming_the_parameter() {
    String id = history.incidentId().toString();
    assertThat(field("/v1/incidents", "/v1/incidents?status=sleeping")).isEqualTo("status");
    assertThat(field("/v1/incidents", "/v1/incidents?limit=0")).isEqualTo("limit");
    assertThat(field("/v1/incidents", "/v1/incidents?cursor=bogus")).isEqualTo("cursor");
    assertThat(field("/v1/incidents/{id}", "/v1/incidents/not-a-uuid")).isEqualTo("id");
    assertThat(field("/v1/incidents/{id}", "/v1/incidents/" + id + "?asOf=yesterday")).isEqualTo("asOf");
    assertThat(field("/v1/incidents/{id}/episodes/{number}", "/v1/incidents/" + id + "/episodes/0")).isEqualTo("number");
    assertThat(field("/v1/incidents/{id}/episodes/{number}/signals", "/v1/incidents/" + id + "/episodes/1/signals?limit=0"))
        .isEqualTo("limit");
    assertThat(field("/v1/incidents/{id}/episodes/{number}/followups", "/v1/incidents/" + id + "/episodes/1/followups?limit=x"))
        .isEqualTo("limit");
    assertThat(field("/v1/incidents/{id}/episodes/{number}/assignees", "/v1/incidents/" + id + "/episodes/-1/assignees"))
        .isEqualTo("number");
    assertThat(field("/v1/incidents/{id}/timeline", "/v1/incidents/" + id + "/timeline?asOf=2026-06-15T00:00:00Z&axis=sideways"))
        .isEqualTo("axis");
    assertThat(field("/v1/events/{eventId}", "/v1/events/42")).isEqualTo("eventId");
    assertThat(field("/v1/analytics/daily", "/v1/analytics/daily?from=2026-13-01")).isEqualTo("from");
    assertThat(field("/v1/analytics/summary", "/v1/analytics/summary?by=week")).isEqualTo("by");
  }

  @Test
  @Order(4)
  void missing_things_are_documented_404s() {
    String id = history.incidentId().toString();
    String nobody = UUID.randomUUID().toString();
    assertThat(check("/v1/incidents/{id}", "/v1/incidents/" + nobody).status()).isEqualTo(404);
    assertThat(check("/v1/incidents/{id}", "/v1/incidents/" + id + "?asOf=2020-01-01T00:00:00Z").status()).isEqualTo(404);
    assertThat(check("/v1/incidents/{id}/episodes/{number}", "/v1/incidents/" + id + "/episodes/9").status()).isEqualTo(404);
    assertThat(check("/v1/incidents/{id}/timeline", "/v1/incidents/" + nobody + "/timeline").status()).isEqualTo(404);
    assertThat(check("/v1/incidents/{id}/episodes/{number}/signals", "/v1/incidents/" + id + "/episodes/9/signals").status())
        .isEqualTo(404);
    for (String kind : List.of("followups", "assignees")) {
      assertThat(check("/v1/incidents/{id}/episodes/{number}/" + kind, "/v1/incidents/" + id + "/episodes/9/" + kind).status())
          .isEqualTo(404);
    }
    assertThat(check("/schemas/{name}", "/schemas/nothing.json").status()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void every_v1_route_refuses_a_missing_or_bad_token_with_401_and_a_client_without_read_with_403() {
    for (String route : v1Routes()) {
      String path = route.replace("{id}", history.incidentId().toString()).replace("{number}", "1")
          .replace("{eventId}", stored.getFirst().id().toString());
      assertThat(contract.check(route, api.get(path, null)).status()).as(route).isEqualTo(401);
      assertThat(contract.check(route, api.get(path, "Bearer wrong")).status()).as(route).isEqualTo(401);
      assertThat(contract.check(route, api.get(path, "Bearer " + PUBLISHER_TOKEN)).status()).as(route).isEqualTo(403);
    }
  }

  @Test
  @Order(6)
  void every_route_refuses_a_body_larger_than_the_server_takes_with_413() {
    byte[] body = new byte[1024 * 1024 + 1];
    for (String route : contract.routes()) {
      String path = route.replace("{id}", history.incidentId().toString()).replace("{number}", "1")
          .replace("{eventId}", stored.getFirst().id().toString()).replace("{name}", "event.json");
      Answer answer = contract.check(route, api.send(api.request(path)
          .method("GET", HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", "Bearer " + Api.TOKEN)));
      assertThat(answer.status()).as(route).isEqualTo(413);
    }
  }

  @Test
  @Order(7)
  void every_documented_answer_but_the_server_errors_was_checked() {
    Set<String> documented = new TreeSet<>();
    contract.document().get("paths").properties().forEach(path -> path.getValue().path("get").path("responses")
        .fieldNames().forEachRemaining(status -> {
          if (!status.equals("500") && !status.equals("503")) documented.add("GET " + path.getKey() + " " + status);
        }));

    assertThat(contract.checked()).containsAll(documented);
  }

  private static Answer check(String route, String path) {
    return contract.check(route, api.get(path));
  }

  private static String field(String route, String path) {
    Answer answer = check(route, path);
    assertThat(answer.status()).as(path).isEqualTo(400);
    return answer.json().get("field").asText();
  }

  private static Set<String> v1Routes() {
    Set<String> routes = new TreeSet<>(contract.routes());
    routes.removeIf(r -> !r.startsWith("/v1/"));
    return routes;
  }
}
