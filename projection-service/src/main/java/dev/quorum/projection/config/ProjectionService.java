package dev.quorum.projection.config;

import dev.quorum.kit.http.BearerAuth;
import dev.quorum.kit.http.HealthCheck;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.kit.metrics.Registries;
import dev.quorum.projection.http.QueryApi;
import dev.quorum.projection.kafka.Instances;
import dev.quorum.projection.kafka.LagWatch;
import dev.quorum.projection.kafka.LocalViews;
import dev.quorum.projection.kafka.ProjectionMetrics;
import dev.quorum.projection.kafka.ProjectionTopology;
import dev.quorum.projection.kafka.StreamsHealth;
import dev.quorum.projection.kafka.StreamsSettings;
import dev.quorum.projection.kafka.TopicSetup;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running projection: topics, the event log, the HTTP server (query API, /openapi.json, /schemas,
 * /metrics, /healthz, /readyz) and the Kafka Streams client. {@link #start()} returns once the server listens and the
 * client has started; {@link #close()} is idempotent and releases everything in reverse order.
 */
public final class ProjectionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionService.class);
  /** How often the lag per partition is measured. */
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

  private final ProjectionConfig config;
  private final PrometheusMeterRegistry registry = Registries.prometheus("projection");
  private final StreamsHealth health = new StreamsHealth();
  private Database database;
  private QueryApi api;
  private OpsServer server;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private LagWatch lagWatch;
  private HostInfo address;
  private boolean closed;

  public ProjectionService(ProjectionConfig config) {
    this.config = config;
  }

  public synchronized ProjectionService start() {
    LOG.info("configuration:\n{}", config.describe());
    try {
      if (config.createTopics()) {
        TopicSetup.ensure(config.bootstrapServers(), config.topics(), config.topicPartitions(), config.topicReplication());
      }
      database = Database.open(config).orElse(null);
      if (database == null) {
        LOG.warn("{} is not set: as-of queries and /v1/events answer 503", ProjectionConfig.DB_URL.name());
      }
      BearerAuth auth = BearerAuth.parse(config.clients());
      if (auth.isEmpty()) {
        LOG.warn("{} lists no client: every query is refused with 401", ProjectionConfig.HTTP_CLIENTS.name());
      }
      api = new QueryApi(auth, database == null ? null : database.log(), Clock.systemUTC(),
          config.asOfSettle(), config.peerTimeout());

      // The server starts first: its port is the query address the Streams client advertises.
      server = OpsServer.builder(registry)
          .host(config.httpHost())
          .port(config.httpPort())
          .check("streams", () -> health.ready() ? HealthCheck.Result.up(health.describe()) : HealthCheck.Result.down(health.describe()))
          .routes(api::register)
          .opsRoutes(api::registerOps)
          .build()
          .start();
      address = config.advertised().port() == 0 || config.httpPort() == 0
          ? new HostInfo(config.advertised().host(), server.port())
          : config.advertised();

      ProjectionMetrics metrics = new ProjectionMetrics(registry, Clock.systemUTC());
      streams = new KafkaStreams(
          ProjectionTopology.topology(config.topics(), metrics),
          StreamsSettings.properties(config.bootstrapServers(), config.applicationId(), config.stateDir(),
              config.streamThreads(), config.commitIntervalMs(), config.standbyReplicas(), config.topicReplication(),
              address, config.streamsOverrides()));
      health.watch(streams);
      streams.setUncaughtExceptionHandler(e -> {
        LOG.error("a stream thread failed; replacing it", e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      streamsMetrics = new KafkaStreamsMetrics(streams);
      streamsMetrics.bindTo(registry);
      api.attach(new LocalViews(streams, health),
          new Instances(streams, address, config.topics(), config.applicationId(),
              TopicSetup.partitionCount(config.bootstrapServers(), config.topics().committed())),
          health);
      streams.start();
      lagWatch = LagWatch.start(config.bootstrapServers(), config.applicationId(), config.topics(), streams, metrics,
          LAG_INTERVAL, health.catchUp());
      // With mirrored topics, what another region recorded before an instant may still be on its way here:
      // nothing bounds the replication lag, so the event log answers every as-of question.
      if (config.asOfFromViews() && config.topics().mirrored().isEmpty()) api.answerAsOfFromViews(lagWatch::caughtUp);
      LOG.info("projection started; query API at {}:{}", address.host(), address.port());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The address other instances and clients reach this one at. */
  public HostInfo address() {
    return address;
  }

  /** Running, with every state store restored. */
  public boolean ready() {
    return health.ready();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (server != null) server.close();
    if (api != null) api.close();
    if (lagWatch != null) lagWatch.close();
    if (streamsMetrics != null) streamsMetrics.close();
    // Leaving the group hands this instance's tasks to the others at once, not after the session timeout.
    if (streams != null) streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
    if (database != null) database.close();
    registry.close();
  }
}
