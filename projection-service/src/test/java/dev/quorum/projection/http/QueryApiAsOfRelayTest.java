package dev.quorum.projection.http;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.quorum.event.Event;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.History;
import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.projection.domain.EventLog;
import dev.quorum.projection.domain.Views;
import dev.quorum.projection.kafka.Instances;
import dev.quorum.projection.kafka.LocalViews;
import dev.quorum.projection.kafka.ProjectionMetrics;
import dev.quorum.projection.kafka.ProjectionTopology;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.kafka.StreamsHealth;
import dev.quorum.projection.kafka.ViewSerdes;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.ApiContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RECORDED as-of request to an instance that does not hold the incident goes to the owner, whose answer
 * comes back as it was; when the owner cannot answer, the instance asked folds the event log: a right
 * answer, never a 503 or a 404 for an incident that exists.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryApiAsOfRelayTest {
  private static final String OWNER_BODY = "{\"asOf\":\"2026-06-15T02:05:00Z\",\"axis\":\"recorded\",\"view\":\"the owner's\"}";

  @TempDir Path stateDir;
  private final History history = History.random();
  private final List<Event> stored = new ArrayList<>();
  private final MemoryEventLog log = new MemoryEventLog();
  private FakeOwner owner;
  private OwnedElsewhere streams;
  private QueryApi api;
  private OpsServer server;
  private Api client;
  private ApiContract contract;

  @BeforeEach
  void start() throws IOException {
    for (int i = 0; i < 3; i++) {
      stored.add(history.add(fired("fp-a")));
      stored.add(history.add(ack()));
      stored.add(history.add(signalResolved("fp-a")));
    }
    owner = new FakeOwner();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-api-as-of-relay");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"); // never started: nothing connects
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    streams = new OwnedElsewhere(props);
    StreamsHealth health = new StreamsHealth();
    health.watch(streams);
    streams.owner = owner.host();
    api = new QueryApi(BearerAuth.parse("test:" + BearerAuth.hash(Api.TOKEN)), log, Clock.systemUTC(),
        Duration.ofSeconds(30), Duration.ofSeconds(2));
    api.attach(new LocalViews(streams, health),
        new Instances(streams, new HostInfo("127.0.0.1", 1), TopicNames.DEFAULT, "query-api-as-of-relay", 4), health);
    api.answerAsOfFromViews(partition -> null); // nothing caught up here: only the owner's views may answer
    server = Api.serve(api);
    client = new Api(new HostInfo("127.0.0.1", server.port()));
    contract = ApiContract.servedBy(client);
  }

  @AfterEach
  void stop() {
    server.close();
    api.close();
    streams.owner = null; // closed as the client it is: never started
    streams.close();
    owner.close();
  }

  @Test
  void a_recorded_as_of_request_is_answered_by_the_owner_and_passed_on_as_it_came() {
    // Given
    owner.answer(200, "views");
    String path = "/v1/incidents/" + history.incidentId() + "/timeline?asOf=2026-06-15T02:05:00Z&episode=2";

    // When
    Api.Answer answer = client.get(path);

    // Then: the owner's answer, its headers; the log was not read here
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo(OWNER_BODY);
    assertThat(answer.servedBy()).isEqualTo(owner.name());
    assertThat(source(answer)).isEqualTo("views");
    assertThat(owner.asked).containsExactly(new Asked(path, "Bearer " + Api.TOKEN, "1"));
    assertThat(log.reads.get()).isZero();
  }

  @Test
  void when_the_owner_cannot_be_reached_the_instance_asked_folds_the_event_log() throws IOException {
    // Given: nobody listens where the owner was
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    streams.owner = new HostInfo("127.0.0.1", closed);
    Instant instant = stored.get(4).stored().recordedAt(); // during episode 2
    IncidentState expected = Fold.foldAsOf(stored, instant, Axis.RECORDED);
    String path = "/v1/incidents/" + history.incidentId();

    // When
    Api.Answer state = contract.check("/v1/incidents/{id}", client.get(path + "?asOf=" + instant));
    Api.Answer episode = contract.check("/v1/incidents/{id}/episodes/{number}", client.get(path + "/episodes/1?asOf=" + instant));

    // Then: the right answer, from the log, by this instance
    assertThat(state.status()).isEqualTo(200);
    assertThat(source(state)).isEqualTo("event-log");
    assertThat(state.servedBy()).isEqualTo("127.0.0.1:1");
    assertThat(state.json().get("view")).isEqualTo(json(Views.stream(expected)));
    assertThat(episode.status()).isEqualTo(200);
    assertThat(episode.json().get("view"))
        .isEqualTo(json(Views.incident(history.incidentId(), expected.episode(1).orElseThrow())));
  }

  @Test
  void when_the_owner_answers_503_the_instance_asked_folds_the_event_log() {
    // Given: the owner is restoring the partition, or handing it over
    owner.answer(503, null);
    Instant instant = stored.get(7).stored().recordedAt();
    String path = "/v1/incidents/" + history.incidentId() + "/timeline?asOf=" + instant + "&episode=3";

    // When
    Api.Answer answer = contract.check("/v1/incidents/{id}/timeline", client.get(path));

    // Then
    assertThat(owner.asked).hasSize(1);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(source(answer)).isEqualTo("event-log");
    assertThat(answer.json().get("view").get("entries")).isEqualTo(json(Fold.timeline(Fold.upTo(stored, instant, Axis.RECORDED))
        .stream().filter(e -> e.episode() == 3).map(Views::timeline).toList()));
    assertThat(answer.json().get("view").get("entries")).hasSize(2);
  }

  @Test
  void the_owners_404_is_passed_on_as_an_answer() {
    // Given: the owner folded the same log and found nothing then
    owner.answer(404, "event-log");

    // When
    Api.Answer answer = client.get("/v1/incidents/" + history.incidentId() + "?asOf=2026-06-15T01:00:00Z");

    // Then
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.servedBy()).isEqualTo(owner.name());
    assertThat(log.reads.get()).isZero();
  }

  @Test
  void occurred_answers_and_requests_relayed_once_already_stay_on_this_instances_log() {
    // Given
    owner.answer(200, "views");
    Instant instant = stored.get(4).stored().recordedAt();
    String path = "/v1/incidents/" + history.incidentId() + "?asOf=" + instant;

    // When
    Api.Answer occurred = client.get(path + "&axis=occurred");
    Api.Answer relayed = client.send(client.request(path).header(Peers.FORWARDED, "1")
        .header("Authorization", "Bearer " + Api.TOKEN).GET());

    // Then: the owner was never asked; this instance folded its log
    assertThat(owner.asked).isEmpty();
    assertThat(source(occurred)).isEqualTo("event-log");
    assertThat(occurred.json().get("view")).isEqualTo(json(Views.stream(Fold.foldAsOf(stored, instant, Axis.OCCURRED))));
    assertThat(source(relayed)).isEqualTo("event-log");
    assertThat(relayed.servedBy()).isEqualTo("127.0.0.1:1");
    assertThat(relayed.json().get("view")).isEqualTo(json(Views.stream(Fold.foldAsOf(stored, instant, Axis.RECORDED))));
  }

  private static String source(Api.Answer answer) {
    return answer.headers().firstValue(QueryApi.AS_OF_SOURCE).orElse(null);
  }

  private static JsonNode json(Object view) {
    try {
      return ViewSerdes.JSON.readTree(ViewSerdes.JSON.writeValueAsBytes(view));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the owner was asked: the path and query, the caller's credentials, and the relay mark. */
  private record Asked(String pathAndQuery, String authorization, String forwarded) {}

  /** Another instance that holds the incident, answering every request as told. */
  private static final class FakeOwner implements AutoCloseable {
    private final HttpServer server;
    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private volatile int status = 503;
    private volatile String source;

    FakeOwner() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        asked.add(new Asked(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst(Peers.FORWARDED)));
        byte[] body = (status == 200 ? OWNER_BODY : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.getResponseHeaders().set(QueryApi.INSTANCE, name());
        if (source != null) exchange.getResponseHeaders().set(QueryApi.AS_OF_SOURCE, source);
        if (status == 503) exchange.getResponseHeaders().set("Retry-After", "1");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
    }

    void answer(int status, String source) {
      this.status = status;
      this.source = source;
    }

    HostInfo host() {
      return new HostInfo("127.0.0.1", server.getAddress().getPort());
    }

    String name() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** A Streams client that runs (as far as the API asks) and names {@code owner} as every incident's owner. */
  private static final class OwnedElsewhere extends KafkaStreams {
    private volatile HostInfo owner;

    OwnedElsewhere(Properties props) {
      super(ProjectionTopology.topology(TopicNames.DEFAULT, new ProjectionMetrics(new SimpleMeterRegistry(), Clock.systemUTC())),
          props);
    }

    @Override
    public State state() {
      return owner == null ? super.state() : State.RUNNING;
    }

    @Override
    public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
      return new KeyQueryMetadata(owner, Set.of(), 2);
    }
  }

  /** The stored events of the test's incident, counting the reads. */
  private final class MemoryEventLog implements EventLog {
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public List<Event> incident(UUID incidentId) {
      reads.incrementAndGet();
      return incidentId.equals(history.incidentId()) ? List.copyOf(stored) : List.of();
    }

    @Override
    public List<Event> incidentAsOf(UUID incidentId, Instant instant, Axis axis) {
      return Fold.upTo(incident(incidentId), instant, axis);
    }

    @Override
    public Optional<Event> find(UUID eventId) {
      reads.incrementAndGet();
      return stored.stream().filter(e -> e.id().equals(eventId)).findFirst();
    }

    @Override
    public void scan(Instant from, Instant to, int batchSize, Consumer<List<Event>> sink) {
      throw new UnsupportedOperationException("no scan in these tests");
    }
  }
}
