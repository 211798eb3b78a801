package dev.quorum.launcher;

import dev.quorum.event.Topics;
import dev.quorum.ingest.config.Gateway;
import dev.quorum.ingest.config.GatewayConfig;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.stack.Loopback;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.stack.regions.DelayProxy;
import dev.quorum.stack.regions.MirrorMakerProcess;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code quorum up --regions 2}: two regions on one machine (DESIGN §9, ADR 10). Each region has its own
 * Kafka, writer, gateway and projection; MirrorMaker 2, in its own processes, copies each region's committed
 * topic into the other, where the projection folds it with its own; one PostgreSQL stands for the
 * multi-region database, region B reaching it through a proxy that adds a cross-region round trip.
 * Region A listens on {@code up}'s ports, region B on the same ports + 100.
 */
final class TwoRegionsUp {
  static final int REGION_B_PORT_OFFSET = 100;

  /** What the banner shows of one region. */
  record Urls(String name, String gateway, String gatewayOps, String query, String writerOps) {}

  private final Up up;
  private final List<Urls> urls = new ArrayList<>();
  private DelayProxy proxy;
  private EmbeddedPostgres postgres;

  TwoRegionsUp(Up up) {
    this.up = up;
  }

  /** The one database both regions write to. */
  EmbeddedPostgres database() {
    return postgres;
  }

  List<Urls> urls() {
    return List.copyOf(urls);
  }

  void start() throws Exception {
    if (up.dataDir != null) throw new IllegalArgumentException("--data-dir is not supported with --regions 2: the regions' data is temporary");
    up.token = up.token != null ? up.token : TokenHasher.generateToken();
    String clients = Up.clients(up.token);
    Path work = Files.createTempDirectory("quorum-up-regions");
    up.removeAtShutdown(work);

    up.step("starting Kafka for region A and region B (KRaft, single node each)");
    List<EmbeddedKafka> kafka = new ArrayList<>();
    for (int i = 0; i < 2; i++) kafka.add(up.remember(EmbeddedKafka.builder().build().start()));
    up.step("starting PostgreSQL (the multi-region database); region B reaches it with a " + up.regionRoundTrip.toMillis()
        + " ms round trip");
    postgres = up.remember(EmbeddedPostgres.builder().build().start());
    proxy = up.remember(DelayProxy.start(Loopback.HOST, postgres.port(), up.regionRoundTrip));
    String direct = postgres.jdbcUrl();
    String delayed = direct.replace(":" + postgres.port() + "/", ":" + proxy.port() + "/");

    up.step("creating topics");
    String[] names = {"A", "B"};
    for (int i = 0; i < 2; i++) {
      EmbeddedKafka k = kafka.get(i);
      k.createTopic(Topics.ACTIONS, up.partitions, Map.of("message.timestamp.type", "LogAppendTime"));
      k.createTopic(Topics.COMMITTED, up.partitions, Map.of());
      k.createTopic(mirrored(names[1 - i]), up.partitions, Map.of());
      k.createTopic(Topics.DLQ, 1, Map.of());
    }

    up.step("starting MirrorMaker 2 (A -> B and B -> A, " + Topics.COMMITTED + ")");
    Properties mm2 = MirrorMakerProcess.properties(new MirrorMakerProcess.Cluster("A", kafka.get(0).bootstrapServers()),
        new MirrorMakerProcess.Cluster("B", kafka.get(1).bootstrapServers()), List.of(Topics.COMMITTED), Map.of());
    for (String target : names) up.remember(MirrorMakerProcess.start(mm2, target, work.resolve("mirror-maker")));

    for (int i = 0; i < 2; i++) {
      String name = names[i];
      int offset = i == 0 ? 0 : REGION_B_PORT_OFFSET;
      String jdbcUrl = i == 0 ? direct : delayed;
      Map<String, String> common = Map.of("kafka.bootstrap.servers", kafka.get(i).bootstrapServers());
      up.step("starting region " + name + ": the writer, the gateway and the projection");
      Map<String, String> writer = Up.writerConfig(common, jdbcUrl, postgres, port(up.writerPort, offset));
      writer.put("writer.group.id", "quorum-writer-" + name.toLowerCase(java.util.Locale.ROOT));
      WriterService writerService = up.remember(new WriterService(WriterConfig.parse(writer)).start());
      Gateway gateway = up.remember(new Gateway(GatewayConfig.parse(
          Up.gatewayConfig(common, port(up.gatewayPort, offset), port(up.gatewayOpsPort, offset), clients)), Clock.systemUTC()).start());
      Map<String, String> projection = up.projectionConfig(common, jdbcUrl, postgres, port(up.projectionPort, offset), clients,
          Files.createDirectories(work.resolve("streams-" + name)));
      projection.put("projection.topic.mirrored", mirrored(names[1 - i]));
      projection.put("projection.application.id", "quorum-projection-" + name.toLowerCase(java.util.Locale.ROOT));
      ProjectionService projectionService = up.remember(new ProjectionService(ProjectionConfig.parse(projection)).start());
      urls.add(new Urls(name, gateway.baseUrl(), gateway.opsUrl(), "http://127.0.0.1:" + projectionService.address().port(),
          writerService.baseUrl()));
    }
  }

  private static String mirrored(String from) {
    return from + "." + Topics.COMMITTED;
  }

  private static int port(int base, int offset) {
    return base == 0 ? 0 : base + offset;
  }

  String banner() {
    StringBuilder regions = new StringBuilder();
    for (Urls u : urls) {
      regions.append("""
            region %s
              gateway      %s   POST /v1/events, /v1/integrations/alertmanager|pagerduty|slack
              gateway ops  %s   /metrics, /readyz, /openapi.json
              query API    %s   GET /v1/incidents, ...; /metrics (replication lag, staleness per source topic)
              writer ops   %s   /metrics, /readyz
          """.formatted(u.name(), u.gateway(), u.gatewayOps(), u.query(), u.writerOps()));
    }
    Urls a = urls.get(0);
    Urls b = urls.get(1);
    return """

        Quorum is up in two regions (MirrorMaker 2 between their Kafka clusters; one PostgreSQL, region B's
        connections %d ms further away).
        %s  token        %s
          log          %s

        Try: post an incident to region B and read it in region A (and the other way round):
          curl -s -X POST %s/v1/integrations/pagerduty -H 'Authorization: Bearer %s' \\
            -H 'Content-Type: application/json' \\
            -d '{"routing_key":"demo","event_action":"trigger","dedup_key":"disk-full","payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical"}}'
          curl -s %s/v1/incidents -H 'Authorization: Bearer %s'
          ./quorum demo --token %s --gateway %s --projection %s

        Ctrl-C stops everything and removes what it created.
        """.formatted(proxy.roundTrip().toMillis(), regions, up.token, Up.logFile(), b.gateway(), up.token, a.query(), up.token,
        up.token, b.gateway(), a.query());
  }
}
