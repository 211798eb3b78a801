package dev.quorum.chaos;

import dev.quorum.event.Topics;
import dev.quorum.ingest.config.GatewayMain;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.projection.cli.ProjectionCli;
import dev.quorum.stack.Loopback;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.stack.regions.DelayProxy;
import dev.quorum.stack.regions.MirrorMakerProcess;
import dev.quorum.writer.config.WriterMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Two regions on one machine as processes (DESIGN §9): per region a Kafka broker (child JVM), a writer, a
 * gateway, a projection that folds its own committed topic and the other region's mirrored one, and the
 * MirrorMaker 2 that copies the other region's committed topic into it; one PostgreSQL stands for the
 * multi-region database, region B reaching it through a proxy that adds a cross-region round trip.
 */
final class TwoRegionPipeline implements AutoCloseable {
  static final String SOURCE = "chaos/gateway";

  /** One region's processes. */
  final class Region {
    final String name;
    final String other;
    final EmbeddedKafka kafka = EmbeddedKafka.builder().separateJvm(true).build();
    Service writer;
    Service gateway;
    Service projection;
    MirrorMakerProcess mirror;
    String gatewayUrl;
    String projectionUrl;

    Region(String name, String other) {
      this.name = name;
      this.other = other;
    }

    String group() {
      return "quorum-writer-" + name.toLowerCase(java.util.Locale.ROOT);
    }

    /** The other region's committed topic as MirrorMaker names it here. */
    String mirrored() {
      return other + "." + Topics.COMMITTED;
    }

    List<Service> services() {
      return List.of(writer, gateway, projection);
    }

    void createTopics() {
      kafka.createTopic(Topics.ACTIONS, settings.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
      kafka.createTopic(Topics.COMMITTED, settings.partitions(), Map.of());
      // created here with the committed topic's partitions; MirrorMaker finds it and writes to it
      kafka.createTopic(mirrored(), settings.partitions(), Map.of());
      kafka.createTopic(Topics.DLQ, 1, Map.of());
    }

    void configure(String jdbcUrl) {
      int writerPort = Loopback.freePort();
      writer = new Service("writer-" + name, WriterMain.class.getName(), List.of(),
          ServiceConfigs.writer(kafka.bootstrapServers(), jdbcUrl, database.username(), database.password(), group(), 0,
              Topics.ACTIONS, Topics.COMMITTED, Topics.DLQ, writerPort),
          "http://" + Loopback.HOST + ":" + writerPort + "/healthz", dir.resolve("writer-" + name + ".log"), "320m");
      int gatewayPort = Loopback.freePort();
      int gatewayOpsPort = Loopback.freePort();
      gatewayUrl = "http://" + Loopback.HOST + ":" + gatewayPort;
      gateway = new Service("gateway-" + name, GatewayMain.class.getName(), List.of(),
          ServiceConfigs.gateway(kafka.bootstrapServers(), gatewayPort, gatewayOpsPort, clients()),
          "http://" + Loopback.HOST + ":" + gatewayOpsPort + "/healthz", dir.resolve("gateway-" + name + ".log"), "256m");
      int projectionPort = Loopback.freePort();
      projectionUrl = "http://" + Loopback.HOST + ":" + projectionPort;
      Map<String, String> pr = ServiceConfigs.projection(kafka.bootstrapServers(), "quorum-projection-" + name, Topics.COMMITTED,
          projectionPort, clients(), dir.resolve("projection-state-" + name));
      pr.put("projection.topic.mirrored", mirrored());
      projection = new Service("projection-" + name, ProjectionCli.class.getName(), List.of("run"), pr,
          projectionUrl + "/healthz", dir.resolve("projection-" + name + ".log"), "320m");
    }

    /** Every process of the region, SIGKILLed: the region is gone. */
    void kill() {
      for (Service s : List.of(gateway, projection, writer)) s.kill();
      mirror.kill();
      kafka.kill();
    }

    /** The region back, on its ports and data: broker, MirrorMaker, writer, gateway, projection. */
    void restart() {
      kafka.start();
      mirror.start();
      startServices(services());
    }
  }

  final TwoRegionSettings settings;
  final Path dir;
  final String token = TokenHasher.generateToken();
  final Region a = new Region("A", "B");
  final Region b = new Region("B", "A");
  final EmbeddedPostgres postgres = EmbeddedPostgres.builder().build();
  PostgresDatabase database;
  DelayProxy proxy;

  TwoRegionPipeline(TwoRegionSettings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
  }

  List<Region> regions() {
    return List.of(a, b);
  }

  TwoRegionPipeline start() {
    startAll(List.<Runnable>of(a.kafka::start, b.kafka::start, postgres::start));
    database = postgres.newDatabase("regions");
    proxy = DelayProxy.start(Loopback.HOST, postgres.port(), settings.roundTrip());
    String direct = database.jdbcUrl();
    String delayed = direct.replace(":" + postgres.port() + "/", ":" + proxy.port() + "/");
    if (delayed.equals(direct)) throw new IllegalStateException("cannot route " + direct + " through the proxy");
    a.configure(direct);
    b.configure(delayed);
    for (Region r : regions()) r.createTopics();
    Properties mm2 = MirrorMakerProcess.properties(new MirrorMakerProcess.Cluster("A", a.kafka.bootstrapServers()),
        new MirrorMakerProcess.Cluster("B", b.kafka.bootstrapServers()), List.of(Topics.COMMITTED),
        Map.of("A.consumer.metadata.max.age.ms", "5000", "B.consumer.metadata.max.age.ms", "5000"));
    for (Region r : regions()) r.mirror = MirrorMakerProcess.start(mm2, r.name, dir);
    // region A's writer migrates the empty database first; B's then finds the schema there
    a.writer.start();
    List<Service> rest = new ArrayList<>(List.of(b.writer, a.gateway, b.gateway, a.projection, b.projection));
    startServices(rest);
    return this;
  }

  List<Service> services() {
    List<Service> all = new ArrayList<>(a.services());
    all.addAll(b.services());
    return all;
  }

  void reviveExited() {
    for (Service s : services()) s.reviveIfExited();
  }

  String clients() {
    return ServiceConfigs.clients(token, SOURCE, "+alertmanager");
  }

  private static void startServices(List<Service> services) {
    startAll(services.stream().map(s -> (Runnable) s::start).toList());
  }

  /** Runs each at once, in its own thread, and returns when all have. */
  private static void startAll(List<Runnable> starts) {
    List<Thread> threads = new ArrayList<>();
    for (Runnable start : starts) threads.add(Thread.ofPlatform().start(start));
    Threads.joinAll(threads);
  }

  @Override
  public void close() {
    for (Region r : regions()) {
      for (Service s : List.of(r.gateway, r.projection, r.writer)) if (s != null) s.close();
      if (r.mirror != null) r.mirror.close();
    }
    for (Region r : regions()) r.kafka.close();
    if (proxy != null) proxy.close();
    postgres.close();
  }
}
