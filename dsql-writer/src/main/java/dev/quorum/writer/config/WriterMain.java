package dev.quorum.writer.config;

import dev.quorum.kit.config.ConfigException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one writer instance: {@code WriterMain [--config writer.properties]}; configuration also comes
 * from {@code QUORUM_*} environment variables and {@code -D} system properties.
 */
public final class WriterMain {
  private static final Logger LOG = LoggerFactory.getLogger(WriterMain.class);

  private WriterMain() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args));
  }

  /** Runs until the writer stops; returns the process exit code. */
  static int run(String[] args) throws InterruptedException {
    WriterConfig config;
    try {
      config = WriterConfig.load(args, System.getenv(), System.getProperties());
    } catch (ConfigException e) {
      System.err.println("dsql-writer: " + e.getMessage());
      return 2;
    }
    LOG.info("dsql-writer configuration:\n{}", config.describe());
    WriterService service = new WriterService(config);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "dsql-writer-shutdown"));
    try {
      service.start();
    } catch (RuntimeException e) {
      LOG.error("dsql-writer could not start: {}", e.getMessage(), e);
      return 1;
    }
    while (!service.awaitStop(Duration.ofSeconds(60))) {
      LOG.debug("dsql-writer running, ready={}", service.isReady());
    }
    Throwable failure = service.writer().failure();
    service.close();
    return failure == null ? 0 : 1;
  }

}
