package dev.quorum.warroom.config;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.kit.lifecycle.Lifecycle;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the war room: {@code WarRoomMain [--config war-room.properties]}; configuration also comes from
 * {@code QUORUM_*} environment variables and {@code -D} system properties (see the module README).
 */
public final class WarRoomMain {
  private static final Logger LOG = LoggerFactory.getLogger(WarRoomMain.class);

  private WarRoomMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs until the process is asked to stop; returns the exit code. */
  static int run(String[] args) {
    WarRoomConfig config;
    try {
      config = WarRoomConfig.parse(ConfigSources.merge(ConfigSources.configFile(args, System.getenv()), System.getenv(),
          System.getProperties(), WarRoomConfig.KEYS, WarRoomConfig.OWN_PREFIXES, WarRoomConfig.PASS_THROUGH));
    } catch (ConfigException e) {
      System.err.println("war-room: " + e.getMessage());
      return 2;
    }
    LOG.info("war-room configuration:\n{}", config.describe());
    try (Lifecycle lifecycle = new Lifecycle("war-room").closeOnShutdown()) {
      WarRoom warRoom = lifecycle.start("war-room", new WarRoom(config, Clock.systemUTC()));
      LOG.info("war room on {}", warRoom.baseUrl());
      lifecycle.awaitClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.error("war-room could not start: {}", e.getMessage(), e);
      return 1;
    }
    return 0;
  }
}
