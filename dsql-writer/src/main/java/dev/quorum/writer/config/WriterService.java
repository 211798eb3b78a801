package dev.quorum.writer.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.quorum.store.jdbc.DataSources;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.kafka.KafkaWriter;
import dev.quorum.writer.metrics.WriterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer wired from its configuration: pool, transaction runner, migrations, store, batch
 * processor and consumer loop; {@link #close()} releases them in reverse order.
 */
public final class WriterService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriterService.class);

  private final WriterConfig config;
  private final MeterRegistry registry;
  private HikariDataSource dataSource;
  private TransactionRunner runner;
  private BatchProcessor processor;
  private KafkaWriter writer;
  private boolean closed;

  public WriterService(WriterConfig config) {
    this(config, null);
  }

  /** A service whose meters go to {@code registry} (none when null). */
  public WriterService(WriterConfig config, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.registry = registry;
  }

  /** Connects, migrates when configured to, checks the topics and starts consuming; returns once running. */
  public synchronized WriterService start() {
    try {
      dataSource = DataSources.pooled(config.database(), "writer-" + config.kafka().transactionalId());
      runner = new TransactionRunner(dataSource, config.retry(), config.transactionCap());
      if (config.migrate()) {
        int applied = new Migrator(dataSource, config.database().dialect(), runner).migrate().size();
        LOG.info("schema up to date ({} migration(s) applied now)", applied);
      }
      processor = new BatchProcessor(new JdbcEventStore(runner));
      writer = new KafkaWriter(config.kafka(), processor);
      if (registry != null) {
        WriterMetrics.bind(registry, writer, processor, runner, config.kafka().transactionalId());
      }
      writer.start();
      LOG.info("writer {} consuming {}", config.kafka().transactionalId(), config.kafka().actionsTopic());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
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
  }
}
