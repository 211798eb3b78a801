package dev.quorum.ingest.config;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.lifecycle.Lifecycle;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ingest gateway: {@code GatewayMain [--config gateway.properties]}; configuration also comes
 * from {@code QUORUM_*} environment variables and {@code -D} system properties (see the module README).
 */
public final class GatewayMain {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs until the process is asked to stop; returns the exit code. */
  static int run(String[] args) {
    GatewayConfig config;
    try {
      config = GatewayConfig.parse(ConfigSources.merge(ConfigSources.configFile(args, System.getenv()), System.getenv(),
          System.getProperties(), GatewayConfig.KEYS, GatewayConfig.OWN_PREFIXES, GatewayConfig.PASS_THROUGH));
    } catch (ConfigException e) {
      System.err.println("ingest-gateway: " + e.getMessage());
      return 2;
    }
    LOG.info("ingest-gateway configuration:\n{}", config.describe());
    try (Lifecycle lifecycle = new Lifecycle("ingest-gateway").closeOnShutdown()) {
      Gateway gateway = lifecycle.start("gateway", new Gateway(config, Clock.systemUTC()));
      LOG.info("ingest-gateway listening on {}; ops endpoints on {}", gateway.baseUrl(), gateway.opsUrl());
      lifecycle.awaitClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.error("ingest-gateway could not start: {}", e.getMessage(), e);
      return 1;
    }
    return 0;
  }
}
