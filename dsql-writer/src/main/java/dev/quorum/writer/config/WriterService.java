package dev.quorum.writer.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.kit.http.HealthCheck;
import dev.quorum.kit.http.OpsServer;
import dev.quorum.kit.metrics.Registries;
import dev.quorum.store.StoreException;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile OpsServer server;
  private HikariDataSource dataSource;
  private volatile TransactionRunner runner;
  private volatile BatchProcessor processor;
  private volatile KafkaWriter writer;
  private volatile String waitingFor;
  private boolean closed;

  public WriterService(WriterConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Listens for probes, waits for the database (migrating when configured to), checks the topics and
   * starts consuming; returns once running. {@code /readyz} answers 503 until the writer consumes with
   * the database available. A database that cannot be reached is waited for with backoff, like an
   * outage mid-stream; {@link #close()} ends the wait.
   *
   * @throws IllegalStateException when closed before it could start, or a topic is wrong
   * @throws dev.quorum.store.StoreException when the database refuses for a reason other than being unreachable
   */
  public WriterService start() {
    try {
      synchronized (this) {
        if (closed || closing.getCount() == 0) throw new IllegalStateException("closed before it started");
        server = OpsServer.builder(registry).host(config.httpHost()).port(config.httpPort())
            .check("writer", this::readiness)
            .build().start();
        dataSource = DataSources.pooled(config.database(), "writer-" + config.kafka().transactionalId());
        runner = new TransactionRunner(dataSource, config.retry(), config.transactionCap(), config.database().dialect());
        WriterMetrics.bindStore(registry, runner, config.kafka().transactionalId());
      }
      awaitDatabase();
      synchronized (this) {
        if (closed || closing.getCount() == 0) throw new IllegalStateException("closed while waiting for the database");
        processor = new BatchProcessor(new JdbcEventStore(runner));
        KafkaWriter created = new KafkaWriter(config.kafka(), processor);
        WriterMetrics.bindWriter(registry, created, processor, config.kafka().transactionalId());
        writer = created;
        created.start();
      }
      LOG.info("writer {} consuming {}", config.kafka().transactionalId(), config.kafka().actionsTopic());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Migrates (or checks the connection) until the database answers; retryable failures are waited out. */
  private void awaitDatabase() {
    Duration backoff = config.kafka().unavailableBackoff();
    while (true) {
      try {
        if (config.migrate()) {
          int applied = new Migrator(dataSource, config.database().dialect(), runner).migrate().size();
          LOG.info("schema up to date ({} migration(s) applied now)", applied);
        } else {
          runner.read("check the database", connection -> connection.isValid(5));
        }
        if (waitingFor != null) LOG.info("writer {}: database available", config.kafka().transactionalId());
        waitingFor = null;
        return;
      } catch (StoreException e) {
        if (!e.isUnavailable()) throw e;
        waitingFor = e.getMessage();
        LOG.warn("writer {}: database unavailable at start-up, not ready; trying again in about {}: {}",
            config.kafka().transactionalId(), backoff, e.getMessage());
      }
      long jittered = (long) (backoff.toMillis() * (0.5 + ThreadLocalRandom.current().nextDouble()));
      try {
        if (closing.await(Math.max(1, jittered), TimeUnit.MILLISECONDS)) return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the database", e);
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(config.kafka().unavailableBackoffMax()) > 0 ? config.kafka().unavailableBackoffMax() : doubled;
    }
  }

  private HealthCheck.Result readiness() {
    KafkaWriter current = writer;
    if (current == null) {
      String waiting = waitingFor;
      return HealthCheck.Result.down(waiting == null ? "starting" : "waiting for the database: " + waiting);
    }
    if (current.isReady()) return HealthCheck.Result.up("consuming " + config.kafka().actionsTopic());
    Throwable failure = current.failure();
    return HealthCheck.Result.down(current.state() + (failure == null ? "" : ": " + failure.getMessage()));
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
  public void close() {
    closing.countDown();
    synchronized (this) {
      release();
    }
  }

  private void release() {
    if (closed) return;
    closed = true;
    if (writer != null) writer.close();
    if (dataSource != null) dataSource.close();
    if (server != null) server.close();
    registry.close();
  }
}
