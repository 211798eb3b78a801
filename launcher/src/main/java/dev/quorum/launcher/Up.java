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
import dev.quorum.warroom.config.WarRoom;
import dev.quorum.warroom.config.WarRoomConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * artifacts, then the writer, the gateway, the projection and the war room, all in this JVM. For trying Quorum on a
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

  @Option(names = "--war-room-port", description = "HTTP port of the web war room (default ${DEFAULT-VALUE})")
  int warRoomPort = 8084;

  @Option(names = "--responders", split = ",", paramLabel = "NAME",
      description = "responders to make a token each for (actor user:NAME, scopes publish and read), to sign in to the war room "
          + "as different people; comma-separated, e.g. alice,bob")
  List<String> responders = new ArrayList<>();

  @Option(names = "--partitions", description = "partitions of the actions and committed topics (default ${DEFAULT-VALUE})")
  int partitions = 3;

  @Option(names = "--data-dir", description = "keep Kafka, PostgreSQL and the views here across restarts "
      + "(default: a temporary directory, removed on exit)")
  Path dataDir;

  @Option(names = "--token", description = "the bearer token clients use (default: a new random one, printed)")
  String token;

  @Option(names = "--regions", description = "1, or 2: two regions active-active, each with its own Kafka, writer, gateway and "
      + "projection, MirrorMaker 2 between them, one PostgreSQL (default ${DEFAULT-VALUE}; docs/two-regions.md)")
  int regions = 1;

  @Option(names = "--region-round-trip", description = "with --regions 2: what region B's database connections add per round "
      + "trip (default ${DEFAULT-VALUE})")
  java.time.Duration regionRoundTrip = dev.quorum.stack.regions.DelayProxy.DEFAULT_ROUND_TRIP;

  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private volatile String gatewayUrl;
  private volatile String gatewayOpsUrl;
  private volatile Path stateDir;
  private volatile String projectionUrl;
  private volatile String writerOpsUrl;
  private volatile String warRoomUrl;
  private final Map<String, String> responderTokens = new LinkedHashMap<>();

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
    if (regions == 2) {
      TwoRegionsUp two = new TwoRegionsUp(this);
      two.start();
      out.println(two.banner());
      stop.await();
      return 0;
    }
    if (regions != 1) throw new CommandLine.ParameterException(new CommandLine(this), "--regions must be 1 or 2, was " + regions);
    start();
    out.println(banner());
    stop.await();
    return 0;
  }

  /** Starts everything; returns when the gateway, writer and projection are listening. */
  void start() throws Exception {
    String clientToken = token != null ? token : TokenHasher.generateToken();
    this.token = clientToken;
    StringBuilder clients = new StringBuilder(clients(clientToken));
    for (String name : responders) {
      if (!name.matches("[a-z][a-z0-9-]{0,30}")) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--responders: " + name
            + " is not a responder name (lower-case letters, digits and '-', starting with a letter)");
      }
      String responderToken = TokenHasher.generateToken();
      responderTokens.put(name, responderToken);
      clients.append(",").append(name).append(':').append(TokenHasher.hash(responderToken, null))
          .append(";source=local/war-room;actor=user:").append(name).append(";scopes=publish+read");
    }
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
    WriterService writerService = remember(new WriterService(WriterConfig.parse(
        writerConfig(common, postgres.jdbcUrl(), postgres, writerPort))).start());
    writerOpsUrl = writerService.baseUrl();

    step("starting the gateway");
    Gateway gatewayService = remember(new Gateway(GatewayConfig.parse(
        gatewayConfig(common, gatewayPort, gatewayOpsPort, clients.toString())), Clock.systemUTC()).start());
    gatewayUrl = gatewayService.baseUrl();
    gatewayOpsUrl = gatewayService.opsUrl();

    step("starting the projection");
    ProjectionService projectionService = remember(new ProjectionService(ProjectionConfig.parse(
        projectionConfig(common, postgres.jdbcUrl(), postgres, projectionPort, clients.toString(), streams))).start());
    projectionUrl = "http://127.0.0.1:" + projectionService.address().port();

    step("starting the war room");
    Map<String, String> warRoom = new HashMap<>(common);
    warRoom.put("warroom.http.host", "127.0.0.1");
    warRoom.put("warroom.http.port", Integer.toString(warRoomPort));
    warRoom.put("warroom.gateway.url", gatewayUrl);
    warRoom.put("warroom.query.url", projectionUrl);
    warRoom.put("warroom.clients", clients.toString());
    warRoomUrl = remember(new WarRoom(WarRoomConfig.parse(warRoom), Clock.systemUTC()).start()).baseUrl();
  }

  /** The one client of {@code up}: every scope, so the token works for every route and the views. */
  static String clients(String token) {
    return "local:" + TokenHasher.hash(token, null)
        + ";source=local/quorum-up;actor=user:local;scopes=publish+read+act-on-behalf+alertmanager+pagerduty";
  }

  static Map<String, String> writerConfig(Map<String, String> common, String jdbcUrl, EmbeddedPostgres postgres, int port) {
    Map<String, String> writer = new HashMap<>(common);
    writer.put("db.url", jdbcUrl);
    writer.put("db.username", postgres.username());
    writer.put("db.password", postgres.password());
    writer.put("writer.http.port", Integer.toString(port));
    writer.put("writer.http.host", "127.0.0.1");
    return writer;
  }

  static Map<String, String> gatewayConfig(Map<String, String> common, int port, int opsPort, String clients) {
    Map<String, String> gateway = new HashMap<>(common);
    gateway.put("gateway.http.host", "127.0.0.1");
    gateway.put("gateway.http.port", Integer.toString(port));
    gateway.put("gateway.ops.host", "127.0.0.1");
    gateway.put("gateway.ops.port", Integer.toString(opsPort));
    gateway.put("gateway.clients", clients);
    return gateway;
  }

  Map<String, String> projectionConfig(Map<String, String> common, String jdbcUrl, EmbeddedPostgres postgres, int port,
      String clients, Path stateDirectory) {
    Map<String, String> projection = new HashMap<>(common);
    projection.put("db.url", jdbcUrl);
    projection.put("db.username", postgres.username());
    projection.put("db.password", postgres.password());
    projection.put("projection.http.port", Integer.toString(port));
    projection.put("projection.http.host", "127.0.0.1");
    projection.put("projection.http.clients", clients);
    projection.put("projection.topics.partitions", Integer.toString(partitions));
    projection.put("projection.state.dir", stateDirectory.toString());
    return projection;
  }

  String warRoomUrl() {
    return warRoomUrl;
  }

  /** The token of each {@code --responders} name. */
  Map<String, String> responderTokens() {
    return responderTokens;
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
          war room     %s   open it in a browser and sign in with a token
          token        %s%s
          log          %s

        Try:
          %s
          curl -s -X POST %s/v1/integrations/pagerduty -H 'Authorization: Bearer %s' \\
            -H 'Content-Type: application/json' \\
            -d '{"routing_key":"demo","event_action":"trigger","dedup_key":"disk-full","payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical"}}'
          curl -s %s/v1/incidents -H 'Authorization: Bearer %s'

        Ctrl-C stops everything%s.
        """.formatted(gatewayUrl, gatewayOpsUrl, projectionUrl, writerOpsUrl, warRoomUrl, token, responderLines(), logFile(), demo,
        gatewayUrl, token,
        projectionUrl, token, dataDir == null ? " and removes what it created" : "; the data stays in " + dataDir);
  }

  private String responderLines() {
    StringBuilder lines = new StringBuilder();
    responderTokens.forEach((name, responderToken) ->
        lines.append("%n  %-12s %s   (signs in as user:%s)".formatted(name, responderToken, name)));
    return lines.toString();
  }

  void step(String what) {
    out.println("quorum up: " + what + " ...");
  }

  <T extends AutoCloseable> T remember(T component) {
    running.push(component);
    return component;
  }

  /** A temporary directory removed at shutdown (the Streams state of {@code --regions 2}). */
  void removeAtShutdown(Path directory) {
    stateDir = directory;
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
