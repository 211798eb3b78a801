package dev.quorum.projection.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.projection.domain.EventLog;
import dev.quorum.projection.kafka.Instances;
import dev.quorum.projection.kafka.LocalViews;
import dev.quorum.projection.kafka.ProjectionMetrics;
import dev.quorum.projection.kafka.ProjectionTopology;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.kafka.StreamsHealth;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.ApiContract;
import dev.quorum.store.StoreException;
import dev.quorum.store.tx.ErrorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the query API answers when what it reads from is down: 503 with a reason and Retry-After, never 500. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryApiUnavailableTest {
  private static final UUID INCIDENT = UUID.fromString("6f1c0d7e-3b1a-4c55-9e0f-2a7d3c9b8e11");

  @TempDir Path stateDir;
  private KafkaStreams streams;
  private QueryApi api;
  private OpsServer server;
  private Api client;
  private ApiContract contract;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-api-unavailable");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"); // never started: nothing connects
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    streams = new KafkaStreams(
        ProjectionTopology.topology(TopicNames.DEFAULT, new ProjectionMetrics(new SimpleMeterRegistry(), Clock.systemUTC())),
        props);
    StreamsHealth health = new StreamsHealth();
    health.watch(streams);
    api = new QueryApi(BearerAuth.parse("test:" + BearerAuth.hash(Api.TOKEN)), new DownEventLog(), Clock.systemUTC(),
        Duration.ofSeconds(30), Duration.ofSeconds(2));
    HostInfo self = new HostInfo("127.0.0.1", 0);
    api.attach(new LocalViews(streams, health), new Instances(streams, self, TopicNames.DEFAULT, "query-api-unavailable", 4),
        health);
    server = Api.serve(api);
    client = new Api(new HostInfo("127.0.0.1", server.port()));
    contract = ApiContract.servedBy(client);
  }

  @AfterEach
  void stop() {
    server.close();
    api.close();
    streams.close();
  }

  @Test
  void an_as_of_answer_is_503_with_retry_after_while_the_event_log_is_down() {
    // When
    Api.Answer answer = contract.check("/v1/incidents/{id}", client.get("/v1/incidents/" + INCIDENT + "?asOf=2026-06-15T02:00:00Z"));

    // Then
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfter()).isNotNull();
    assertThat(answer.json().get("detail").asText()).contains("event log");
  }

  @Test
  void an_event_lookup_is_503_with_retry_after_while_the_event_log_is_down() {
    // When
    Api.Answer answer = contract.check("/v1/events/{eventId}",
        client.get("/v1/events/" + UUID.fromString("0b5e2a51-8d4f-4f0e-9a6c-1d2e3f405162")));

    // Then
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfter()).isNotNull();
  }

  @Test
  void views_are_503_with_the_reason_while_the_stream_client_is_not_running() {
    // Given: the client shut down (as after a fatal error or during a shutdown)
    streams.close();

    // When
    List<Api.Answer> answers = List.of(
        contract.check("/v1/incidents/{id}", client.get("/v1/incidents/" + INCIDENT)),
        contract.check("/v1/incidents/{id}/timeline", client.get("/v1/incidents/" + INCIDENT + "/timeline")),
        contract.check("/v1/incidents", client.get("/v1/incidents")),
        contract.check("/v1/analytics/daily", client.get("/v1/analytics/daily")));

    // Then
    assertThat(answers).allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.retryAfter()).isNotNull();
      assertThat(answer.json().get("detail").asText()).contains("not_running");
    });
  }

  /** An event log whose database is unreachable: every read fails as the transaction runner reports it. */
  private static final class DownEventLog implements EventLog {
    private static StoreException down() {
      return new StoreException("reading the log failed after 3 attempts: connection refused",
          new SQLTransientConnectionException("connection refused", "08001"), ErrorKind.RETRYABLE, "08001", 3);
    }

    @Override
    public List<Event> incident(UUID incidentId) {
      throw down();
    }

    @Override
    public List<Event> incidentAsOf(UUID incidentId, Instant instant, Axis axis) {
      throw down();
    }

    @Override
    public Optional<Event> find(UUID eventId) {
      throw down();
    }

    @Override
    public void scan(Instant from, Instant to, int batchSize, Consumer<List<Event>> sink) {
      throw down();
    }
  }
}
