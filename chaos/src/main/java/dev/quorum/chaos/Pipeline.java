package dev.quorum.chaos;

import dev.quorum.event.Topics;
import dev.quorum.ingest.config.GatewayMain;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.projection.cli.ProjectionCli;
import dev.quorum.stack.Loopback;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.writer.config.WriterMain;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The real pipeline as separate processes: a child-JVM Kafka broker and a PostgreSQL server (both
 * restartable on the same port and data), writer group A with two instances, writer group B with one
 * instance on the same input and database (its own committed topic and DLQ), the projection on group
 * A's committed topic, and the gateway. Services are configured through their public keys only.
 */
final class Pipeline implements AutoCloseable {
  static final String CHILD_LOG_CONFIG = "dev/quorum/chaos/child-log4j2.xml";
  static final String GROUP_A = "quorum-writer-a";
  static final String GROUP_B = "quorum-writer-b";
  static final String COMMITTED_A = Topics.COMMITTED;
  static final String COMMITTED_B = Topics.COMMITTED + ".group-b";
  static final String DLQ_A = Topics.DLQ;
  static final String DLQ_B = Topics.DLQ + ".group-b";
  static final String PROJECTION_APP = "quorum-projection-chaos";
  static final String GATEWAY_SOURCE = "chaos/gateway";
  /** Tables the conflict injector fails commits on: every writer transaction modifies one of them. */
  static final String[] CONFLICT_TABLES = {"incident_event", "incident"};

  final ChaosSettings settings;
  final Path dir;
  final String token;
  final EmbeddedKafka kafka;
  final EmbeddedPostgres postgres;
  PostgresDatabase database;
  final List<Service> writersA = new ArrayList<>();
  final List<Service> writersB = new ArrayList<>();
  Service gateway;
  Service projection;
  String gatewayUrl;
  String projectionUrl;
  DsqlConflictInjector injector;
  /** The OC001 outcomes of the first migrations, recorded before the data injector restarts the draws. */
  long ddlDecisions;
  long ddlConflicts;

  /** @param dir where the services' logs and the projection's state go; kept after the run */
  Pipeline(ChaosSettings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
    this.token = TokenHasher.generateToken();
    this.kafka = EmbeddedKafka.builder().separateJvm(true).build();
    this.postgres = EmbeddedPostgres.builder().build();
  }

  /** Starts everything; returns when every service answers {@code /healthz}. */
  Pipeline start() {
    kafka.start();
    postgres.start();
    database = postgres.newDatabase("chaos");
    kafka.createTopic(Topics.ACTIONS, settings.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
    for (String topic : List.of(COMMITTED_A, COMMITTED_B)) kafka.createTopic(topic, settings.partitions(), Map.of());
    for (String topic : List.of(DLQ_A, DLQ_B)) kafka.createTopic(topic, 1, Map.of());

    // OC001 on the writers' first migration: three instances migrate the empty database at once
    DsqlConflictInjector.installForDdl(database.dataSource(), settings.ddlConflictRate(), settings.seed());
    for (int i = 0; i < 2; i++) writersA.add(writer(GROUP_A, i, COMMITTED_A, DLQ_A));
    writersB.add(writer(GROUP_B, 0, COMMITTED_B, DLQ_B));
    List<Thread> starting = new ArrayList<>();
    for (Service writer : writers()) starting.add(Thread.ofPlatform().start(writer::start));
    Threads.joinAll(starting);
    await("writers migrated").atMost(Duration.ofSeconds(60)).until(() -> tableExists("incident_event") && tableExists("incident"));
    ddlDecisions = query("SELECT last_value FROM quorum_test.ddl_draw WHERE is_called");
    ddlConflicts = ConflictDraws.hits(settings.seed(), "ddl", ddlDecisions, settings.ddlConflictRate());
    injector = DsqlConflictInjector.install(database.dataSource(), settings.conflictRate(), 0.0, settings.seed(), CONFLICT_TABLES);

    int gatewayPort = Loopback.freePort();
    gatewayUrl = "http://" + Loopback.HOST + ":" + gatewayPort;
    int gatewayOpsPort = Loopback.freePort();
    // the gateway serves its probes on its ops port, never on the public one
    gateway = new Service("gateway", GatewayMain.class.getName(), List.of(),
        ServiceConfigs.gateway(kafka.bootstrapServers(), gatewayPort, gatewayOpsPort, clients()),
        "http://" + Loopback.HOST + ":" + gatewayOpsPort + "/healthz",
        dir.resolve("gateway.log"), "256m").start();

    int projectionPort = Loopback.freePort();
    projectionUrl = "http://" + Loopback.HOST + ":" + projectionPort;
    projection = new Service("projection", ProjectionCli.class.getName(), List.of("run"),
        ServiceConfigs.projection(kafka.bootstrapServers(), PROJECTION_APP, COMMITTED_A, projectionPort, clients(),
            dir.resolve("projection-state")),
        projectionUrl + "/healthz", dir.resolve("projection.log"), "384m").start();
    return this;
  }

  List<Service> writers() {
    List<Service> all = new ArrayList<>(writersA);
    all.addAll(writersB);
    return all;
  }

  List<Service> services() {
    List<Service> all = writers();
    if (gateway != null) all.add(gateway);
    if (projection != null) all.add(projection);
    return all;
  }

  private Service writer(String group, int instance, String committed, String dlq) {
    int port = Loopback.freePort();
    Map<String, String> w = ServiceConfigs.writer(kafka.bootstrapServers(), database.jdbcUrl(), database.username(),
        database.password(), group, instance, Topics.ACTIONS, committed, dlq, port);
    String name = (group.equals(GROUP_A) ? "writer-a" : "writer-b") + instance;
    return new Service(name, WriterMain.class.getName(), List.of(), w, "http://" + Loopback.HOST + ":" + port + "/healthz",
        dir.resolve(name + ".log"), "384m");
  }

  /** One client for the gateway and the projection: publishes on behalf of responders, reads the views. */
  private String clients() {
    return ServiceConfigs.clients(token, GATEWAY_SOURCE, "");
  }

  private boolean tableExists(String table) throws SQLException {
    return count("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
  }

  long query(String sql) {
    try {
      return count(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql, e);
    }
  }

  long count(String sql) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  @Override
  public void close() {
    for (Service service : services().reversed()) service.close();
    kafka.close();
    postgres.close();
  }
}
