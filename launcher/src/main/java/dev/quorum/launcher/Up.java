package dev.quorum.launcher;

import dev.quorum.event.Topics;
import dev.quorum.ingest.config.Gateway;
import dev.quorum.ingest.config.GatewayConfig;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.stack.WorkDirectory;
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
 * laptop; the data lives in temporary directories that are removed on exit. The console shows only
 * Quorum's progress, the banner and warnings; every component's log goes to the file the banner names.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline in one JVM on a local Kafka and PostgreSQL (data is discarded on exit "
        + "unless --data-dir keeps it).")
public final class Up implements Callable<Integer> {
  @Option(names = "--gateway-port", description = "HTTP port of the gateway (default ${DEFAULT-VALUE})")
  int gatewayPort = 8080;

  @Option(names = "--gateway-ops-port", description = "the gateway's ops port: /metrics, /healthz, /readyz, /openapi.json (default ${DEFAULT-VALUE})")
  int gatewayOpsPort = 8090;

  @Option(names = "--writer-port", description = "ops port of the writer: /metrics, /healthz, /readyz (default ${DEFAULT-VALUE})")
  int writerPort = 8081;

  @Option(names = "--projection-port", description = "HTTP port of the query API (default ${DEFAULT-VALUE})")
  int projectionPort = 8083;

  @Option(names = "--partitions", description = "partitions of the actions and committed topics (default ${DEFAULT-VALUE})")
  int partitions = 3;

  @Option(names = "--data-dir", description = "keep Kafka, PostgreSQL and the views here across restarts "
      + "(default: a temporary directory, removed on exit)")
  Path dataDir;

  @Option(names = "--token", description = "the bearer token clients use (default: a new random one, printed)")
  String token;

  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private volatile String gatewayUrl;
  private volatile String gatewayOpsUrl;
  private volatile Path stateDir;
  private volatile String projectionUrl;
  private volatile String writerOpsUrl;

  Up(PrintStream out) {
    this.out = out;
  }

  public static int run(String[] args) {
    return new CommandLine(new Up(System.out)).execute(args);
  }

  /** Where {@code up} sends every component's log: set before logging starts ({@link Quorum#main}). */
  static Path logFile() {
    // one file per process: two `up`s on one machine (other ports) do not write into each other's log
    return Path.of(System.getProperty("java.io.tmpdir"), "quorum-up-" + ProcessHandle.current().pid() + ".log");
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
    EmbeddedKafka.Builder kafkaBuilder = EmbeddedKafka.builder();
    EmbeddedPostgres.Builder postgresBuilder = EmbeddedPostgres.builder();
    Path streams;
    if (dataDir != null) {
      kafkaBuilder.keptIn(dataDir.resolve("kafka"));
      postgresBuilder.keptIn(dataDir.resolve("postgres"));
      streams = Files.createDirectories(dataDir.resolve("streams"));
    } else {
      streams = stateDir = Files.createTempDirectory("quorum-up-streams");
    }

    step("starting Kafka (KRaft, single node)" + (dataDir == null ? "" : " in " + dataDir.resolve("kafka")));
    EmbeddedKafka kafka = remember(kafkaBuilder.build().start());
    step("starting PostgreSQL" + (dataDir == null ? "" : " in " + dataDir.resolve("postgres")));
    EmbeddedPostgres postgres = remember(postgresBuilder.build().start());
    // `quorum export` on this machine finds the database here while up runs
    remember(UpDatabase.announce(UpDatabase.directory(), postgres.jdbcUrl(), postgres.username(), postgres.password()));

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
    writer.put("writer.http.host", "127.0.0.1");
    WriterService writerService = remember(new WriterService(WriterConfig.parse(writer)).start());
    writerOpsUrl = writerService.baseUrl();

    step("starting the gateway");
    Map<String, String> gateway = new HashMap<>(common);
    gateway.put("gateway.http.host", "127.0.0.1");
    gateway.put("gateway.http.port", Integer.toString(gatewayPort));
    gateway.put("gateway.ops.host", "127.0.0.1");
    gateway.put("gateway.ops.port", Integer.toString(gatewayOpsPort));
    gateway.put("gateway.clients", clients);
    Gateway gatewayService = remember(new Gateway(GatewayConfig.parse(gateway), Clock.systemUTC()).start());
    gatewayUrl = gatewayService.baseUrl();
    gatewayOpsUrl = gatewayService.opsUrl();

    step("starting the projection");
    Map<String, String> projection = new HashMap<>(common);
    projection.put("db.url", postgres.jdbcUrl());
    projection.put("db.username", postgres.username());
    projection.put("db.password", postgres.password());
    projection.put("projection.http.port", Integer.toString(projectionPort));
    projection.put("projection.http.host", "127.0.0.1");
    projection.put("projection.http.clients", clients);
    projection.put("projection.topics.partitions", Integer.toString(partitions));
    projection.put("projection.state.dir", streams.toString());
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
    String demo = "./quorum demo --token " + token
        + (gatewayUrl.endsWith(":8080") ? "" : " --gateway " + gatewayUrl)
        + (projectionUrl.endsWith(":8083") ? "" : " --projection " + projectionUrl);
    return """

        Quorum is up.
          gateway      %s   POST /v1/events, /v1/integrations/alertmanager|pagerduty|slack
          gateway ops  %s   /metrics, /readyz, /openapi.json (the API's description), /schemas
          query API    %s   GET /v1/incidents, /v1/incidents/{id}/timeline, /v1/analytics/summary; /openapi.json, /schemas, /metrics
          writer ops   %s   /metrics, /readyz
          token        %s
          log          %s

        Try:
          %s
          curl -s -X POST %s/v1/integrations/pagerduty -H 'Authorization: Bearer %s' \\
            -H 'Content-Type: application/json' \\
            -d '{"routing_key":"demo","event_action":"trigger","dedup_key":"disk-full","payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical"}}'
          curl -s %s/v1/incidents -H 'Authorization: Bearer %s'

        Ctrl-C stops everything%s.
        """.formatted(gatewayUrl, gatewayOpsUrl, projectionUrl, writerOpsUrl, token, logFile(), demo, gatewayUrl, token,
        projectionUrl, token, dataDir == null ? " and removes what it created" : "; the data stays in " + dataDir);
  }

  private void step(String what) {
    out.println("quorum up: " + what + " ...");
  }

  private <T extends AutoCloseable> T remember(T component) {
    running.push(component);
    return component;
  }

  /** Stops everything in reverse order and removes what {@code up} created (topics, tables, Streams state); idempotent. */
  void shutdown() {
    synchronized (running) {
      boolean any = !running.isEmpty();
      if (any) out.println("quorum up: stopping ...");
      while (!running.isEmpty()) {
        try {
          running.pop().close();
        } catch (Exception e) {
          System.err.println("quorum up: while stopping: " + e.getMessage());
        }
      }
      if (stateDir != null) {
        try {
          WorkDirectory.delete(stateDir);
        } catch (RuntimeException e) {
          System.err.println("quorum up: could not remove " + stateDir + ": " + e.getMessage());
        }
        stateDir = null;
      }
      if (any) {
        out.println("quorum up: stopped; " + (dataDir == null ? "the data is removed" : "the data stays in " + dataDir)
            + " (the log stays in " + logFile() + ")");
      }
    }
    stop.countDown();
  }
}
