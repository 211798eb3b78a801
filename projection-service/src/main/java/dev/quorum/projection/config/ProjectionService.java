package dev.quorum.projection.config;

import dev.quorum.projection.domain.EventLog;
import dev.quorum.projection.http.BearerAuth;
import dev.quorum.projection.http.QueryApi;
import dev.quorum.projection.kafka.Instances;
import dev.quorum.projection.kafka.LocalViews;
import dev.quorum.projection.kafka.ProjectionMetrics;
import dev.quorum.projection.kafka.ProjectionTopology;
import dev.quorum.projection.kafka.StreamsHealth;
import dev.quorum.projection.kafka.StreamsSettings;
import dev.quorum.projection.kafka.TopicSetup;
import dev.quorum.projection.kafka.ViewSerdes;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running projection: topics, the Kafka Streams client, the event log and the HTTP server with the
 * query API and /metrics, /healthz, /readyz. {@link #start()} returns once the server listens and the
 * client has started; {@link #close()} releases everything in reverse order.
 */
public final class ProjectionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionService.class);

  private final ProjectionConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final StreamsHealth health = new StreamsHealth();
  private final AtomicBoolean closed = new AtomicBoolean();
  private Database database;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private Javalin http;
  private HostInfo address;

  public ProjectionService(ProjectionConfig config) {
    this.config = config;
  }

  public ProjectionService start() {
    LOG.info("starting the projection with {}", config.describe());
    if (config.createTopics()) {
      TopicSetup.ensure(config.bootstrapServers(), config.topics(), config.topicPartitions(), config.topicReplication());
    }
    EventLog log = openEventLog().orElse(null);

    // The HTTP port must be known before the Streams client starts: it is the advertised query address.
    http = Javalin.create(javalin -> {
      javalin.showJavalinBanner = false;
      javalin.jsonMapper(new JavalinJackson(ViewSerdes.JSON, false));
    });
    http.start(config.httpHost(), config.httpPort());
    address = config.advertised().port() == 0 || config.httpPort() == 0
        ? new HostInfo(config.advertised().host(), http.port())
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
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);

    http.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    http.get("/healthz", ctx -> ctx.status(health.alive() ? 200 : 503).result(health.describe()));
    http.get("/readyz", ctx -> ctx.status(health.ready() ? 200 : 503).result(health.describe()));
    if (config.authTokens() == null) {
      LOG.warn("{} is not set: the query API answers without authentication", ProjectionConfig.AUTH_TOKENS.name());
    } else {
      BearerAuth auth = new BearerAuth(config.authTokens());
      http.before("/v1/*", auth);
    }
    new QueryApi(new LocalViews(streams), new Instances(streams, address), log, Clock.systemUTC(),
        config.asOfSettle(), config.peerTimeout()).register(http);

    streams.start();
    LOG.info("projection started; query API at {}:{}", address.host(), address.port());
    return this;
  }

  /** The address other instances and clients reach this one at. */
  public HostInfo address() {
    return address;
  }

  public boolean ready() {
    return health.ready();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private Optional<EventLog> openEventLog() {
    database = Database.open(config).orElse(null);
    if (database == null) {
      LOG.warn("{} is not set: as-of queries and /v1/events answer 503", ProjectionConfig.DB_URL.name());
      return Optional.empty();
    }
    return Optional.of(database.log());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    if (http != null) http.stop();
    if (streamsMetrics != null) streamsMetrics.close();
    if (streams != null) streams.close(Duration.ofSeconds(30));
    if (database != null) database.close();
    registry.close();
  }
}
