package dev.quorum.writer.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.kit.http.HealthCheck;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.kit.metrics.Registries;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.kafka.KafkaWriter;
import dev.quorum.writer.metrics.WriterMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer wired from its configuration: HTTP server (/metrics, /healthz, /readyz), pool,
 * transaction runner, migrations, store, batch processor and consumer loop; {@link #close()} is
 * idempotent and releases them in reverse order.
 */
public final class WriterService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriterService.class);

  private final WriterConfig config;
  private final PrometheusMeterRegistry registry = Registries.prometheus("writer");
  private OpsServer server;
  private HikariDataSource dataSource;
  private TransactionRunner runner;
  private BatchProcessor processor;
  private KafkaWriter writer;
  private boolean closed;

  public WriterService(WriterConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Listens for probes, connects, migrates when configured to, checks the topics and starts consuming;
   * returns once running. {@code /readyz} answers 503 until the writer consumes with the database available.
   */
  public synchronized WriterService start() {
    try {
      server = OpsServer.builder(registry).host(config.httpHost()).port(config.httpPort())
          .check("writer", this::readiness)
          .build().start();
      dataSource = DataSources.pooled(config.database(), "writer-" + config.kafka().transactionalId());
      runner = new TransactionRunner(dataSource, config.retry(), config.transactionCap(), config.database().dialect());
      if (config.migrate()) {
        int applied = new Migrator(dataSource, config.database().dialect(), runner).migrate().size();
        LOG.info("schema up to date ({} migration(s) applied now)", applied);
      }
      processor = new BatchProcessor(new JdbcEventStore(runner));
      writer = new KafkaWriter(config.kafka(), processor);
      WriterMetrics.bind(registry, writer, processor, runner, config.kafka().transactionalId());
      writer.start();
      LOG.info("writer {} consuming {}", config.kafka().transactionalId(), config.kafka().actionsTopic());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private HealthCheck.Result readiness() {
    if (writer == null) return HealthCheck.Result.down("starting");
    if (writer.isReady()) return HealthCheck.Result.up("consuming " + config.kafka().actionsTopic());
    Throwable failure = writer.failure();
    return HealthCheck.Result.down(writer.state() + (failure == null ? "" : ": " + failure.getMessage()));
  }

  public KafkaWriter writer() {
    return writer;
  }

  public TransactionRunner runner() {
    return runner;
  }

  public BatchProcessor processor() {
    return processor;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The HTTP server's base URL, e.g. {@code http://127.0.0.1:8082}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** Ready to take traffic: consuming, and the database available. */
  public boolean isReady() {
    return writer != null && writer.isReady();
  }

  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return writer == null || writer.awaitStop(timeout);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (writer != null) writer.close();
    if (dataSource != null) dataSource.close();
    if (server != null) server.close();
    registry.close();
  }
}
