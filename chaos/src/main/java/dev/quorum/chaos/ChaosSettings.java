package dev.quorum.chaos;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * The size and fault plan of one chaos run, from a named size and {@code chaos.*} system properties.
 *
 * @param size the named size ({@code small} for CI, {@code full} for the documented run)
 * @param seed drives the load (ids, incidents, types, redeliveries, poison) and the fault plan; the same seed replays it
 * @param events distinct valid event ids to publish
 * @param incidents distinct incidents they act on
 * @param rate the events per second the load aims at, so that the faults fall while it publishes
 * @param partitions partitions of the actions and committed topics
 * @param redeliveryRate the share of publications that re-send an event already sent (same bytes, same id)
 * @param poisonRate the share of direct-producer records that are not valid events
 * @param conflictRate the share of data transactions that fail at COMMIT with OC000
 * @param ddlConflictRate the share of DDL transactions (the writers' first migration) that fail with OC001
 * @param writerKills how many times a writer instance is SIGKILLed and restarted
 * @param downtime how long the broker and PostgreSQL each stay down
 */
public record ChaosSettings(
    String size, long seed, int events, int incidents, int rate, int partitions, double redeliveryRate, double poisonRate,
    double conflictRate, double ddlConflictRate, int writerKills, Duration downtime) {

  public ChaosSettings {
    if (events < 1 || incidents < 1 || incidents > events) throw new IllegalArgumentException("need 1 <= incidents <= events");
    if (writerKills < 1) throw new IllegalArgumentException("chaos.writer.kills must be at least 1");
  }

  /** The CI size: every fault kind at least once, within a few minutes on two cores. */
  public static ChaosSettings small(long seed) {
    return new ChaosSettings("small", seed, 20_000, 400, 300, 4, 0.06, 0.01, 0.15, 0.5, 3, Duration.ofSeconds(10));
  }

  /** The full run of issue 11: 100,000 events over 1,000 incidents, five writer kills and more. */
  public static ChaosSettings full(long seed) {
    return new ChaosSettings("full", seed, 100_000, 1_000, 450, 6, 0.06, 0.01, 0.15, 0.5, 7, Duration.ofSeconds(12));
  }

  /**
   * {@code chaos.size} ({@code small} by default) and {@code chaos.seed}, then any of {@code chaos.events},
   * {@code chaos.incidents}, {@code chaos.rate}, {@code chaos.writer.kills} overriding the size's value.
   */
  public static ChaosSettings from(Properties system) {
    String size = system.getProperty("chaos.size", "small").strip().toLowerCase(Locale.ROOT);
    String seedText = system.getProperty("chaos.seed", "").strip();
    long seed = seedText.isEmpty() ? 20261127L : Long.parseLong(seedText);
    ChaosSettings base = switch (size) {
      case "", "small" -> small(seed);
      case "full" -> full(seed);
      default -> throw new IllegalArgumentException("chaos.size must be small or full, was " + size);
    };
    return new ChaosSettings(base.size, seed, integer(system, "chaos.events", base.events),
        integer(system, "chaos.incidents", base.incidents), integer(system, "chaos.rate", base.rate), base.partitions,
        base.redeliveryRate, base.poisonRate, base.conflictRate, base.ddlConflictRate,
        integer(system, "chaos.writer.kills", base.writerKills), base.downtime);
  }

  private static int integer(Properties system, String key, int fallback) {
    String value = system.getProperty(key, "").strip();
    return value.isEmpty() ? fallback : Integer.parseInt(value);
  }
}
