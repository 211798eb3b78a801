package dev.quorum.launcher;

import dev.quorum.event.Topics;
import dev.quorum.ingest.config.Gateway;
import dev.quorum.ingest.config.GatewayConfig;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterService;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quorum up}: a real single-node Kafka (KRaft) and a real PostgreSQL started from Maven
 * artifacts, then the writer, the gateway and the projection, all in this JVM. For trying Quorum on a
 * laptop; the data lives in a temporary directory and is removed on exit.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline in one JVM on a local Kafka and PostgreSQL (data is discarded on exit).")
public final class Up implements Callable<Integer> {
  @Option(names = "--gateway-port", description = "HTTP port of the gateway (default ${DEFAULT-VALUE})")
  int gatewayPort = 8080;

  @Option(names = "--writer-port", description = "ops port of the writer: /metrics, /healthz, /readyz (default ${DEFAULT-VALUE})")
  int writerPort = 8081;

  @Option(names = "--projection-port", description = "HTTP port of the query API (default ${DEFAULT-VALUE})")
  int projectionPort = 8083;

  @Option(names = "--partitions", description = "partitions of the actions and committed topics (default ${DEFAULT-VALUE})")
  int partitions = 3;

  @Option(names = "--token", description = "the bearer token clients use (default: a new random one, printed)")
  String token;

  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private volatile String gatewayUrl;
  private volatile String projectionUrl;

  Up(PrintStream out) {
    this.out = out;
  }

  public static int run(String[] args) {
    return new CommandLine(new Up(System.out)).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "quorum-up-shutdown"));
    start();
    out.println(banner());
    stop.await();
    return 0;
  }

  /** Starts everything; returns when the gateway, writer and projection are listening. */
  void start() throws Exception {
    String clientToken = token != null ? token : TokenHasher.generateToken();
    this.token = clientToken;
    String clients = "local:" + TokenHasher.hash(clientToken, null) + ";source=local/quorum-up;actor=user:local;scopes=publish+read+act-on-behalf+alertmanager+pagerduty";
    Path stateDir = Files.createTempDirectory("quorum-up-streams");

    step("starting Kafka (KRaft, single node)");
    EmbeddedKafka kafka = remember(EmbeddedKafka.builder().build().start());
    step("starting PostgreSQL");
    EmbeddedPostgres postgres = remember(EmbeddedPostgres.builder().build().start());

    step("creating topics");
    kafka.createTopic(Topics.ACTIONS, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
    kafka.createTopic(Topics.COMMITTED, partitions, Map.of());
    kafka.createTopic(Topics.DLQ, 1, Map.of());

    Map<String, String> common = new HashMap<>();
    common.put("kafka.bootstrap.servers", kafka.bootstrapServers());

    step("starting the writer");
    Map<String, String> writer = new HashMap<>(common);
    writer.put("db.url", postgres.jdbcUrl());
    writer.put("db.username", postgres.username());
    writer.put("db.password", postgres.password());
    writer.put("writer.http.port", Integer.toString(writerPort));
    remember(new WriterService(WriterConfig.parse(writer)).start());

    step("starting the gateway");
    Map<String, String> gateway = new HashMap<>(common);
    gateway.put("gateway.http.port", Integer.toString(gatewayPort));
    gateway.put("gateway.clients", clients);
    Gateway gatewayService = remember(new Gateway(GatewayConfig.parse(gateway), Clock.systemUTC()).start());
    gatewayUrl = gatewayService.baseUrl();

    step("starting the projection");
    Map<String, String> projection = new HashMap<>(common);
    projection.put("db.url", postgres.jdbcUrl());
    projection.put("db.username", postgres.username());
    projection.put("db.password", postgres.password());
    projection.put("projection.http.port", Integer.toString(projectionPort));
    projection.put("projection.http.host", "127.0.0.1");
    projection.put("projection.http.clients", clients);
    projection.put("projection.topics.partitions", Integer.toString(partitions));
    projection.put("projection.state.dir", stateDir.toString());
    ProjectionService projectionService = remember(new ProjectionService(ProjectionConfig.parse(projection)).start());
    projectionUrl = "http://127.0.0.1:" + projectionService.address().port();
  }

  String gatewayUrl() {
    return gatewayUrl;
  }

  String projectionUrl() {
    return projectionUrl;
  }

  String token() {
    return token;
  }

  private String banner() {
    return """

        Quorum is up.
          gateway     %s   (POST /v1/events, /v1/integrations/alertmanager|pagerduty|slack)
          projection  %s   (GET /v1/incidents, /v1/incidents/{id}/timeline, /v1/analytics/...)
          writer ops  http://127.0.0.1:%d/metrics
          token       %s

        Try:
          curl -s -X POST %s/v1/integrations/pagerduty -H 'Authorization: Bearer %s' \\
            -H 'Content-Type: application/json' \\
            -d '{"routing_key":"demo","event_action":"trigger","dedup_key":"disk-full","payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical"}}'
          curl -s %s/v1/incidents -H 'Authorization: Bearer %s'

        Ctrl-C stops everything and removes the data.
        """.formatted(gatewayUrl, projectionUrl, writerPort, token, gatewayUrl, token, projectionUrl, token);
  }

  private void step(String what) {
    out.println("quorum up: " + what + " ...");
  }

  private <T extends AutoCloseable> T remember(T component) {
    running.push(component);
    return component;
  }

  /** Stops everything in reverse order; idempotent. */
  void shutdown() {
    synchronized (running) {
      while (!running.isEmpty()) {
        try {
          running.pop().close();
        } catch (Exception e) {
          System.err.println("quorum up: while stopping: " + e.getMessage());
        }
      }
    }
    stop.countDown();
  }
}
