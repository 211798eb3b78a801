package dev.quorum.chaos;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * The size of a two-region run (ADR 10): the storm through both regions' gateways, Alertmanager groups
 * posted to both, region B down whole for {@code downtime} while it publishes.
 *
 * @param size {@code small} (CI) or {@code full} (the documented run)
 * @param seed drives the load; the same seed replays it
 * @param events distinct event ids of the storm
 * @param incidents incidents they act on, through both regions at once
 * @param rate events per second the storm aims at
 * @param partitions partitions of every topic of both regions
 * @param alertGroups Alertmanager groups, each notification posted to both regions
 * @param downtime how long region B stays down
 * @param roundTrip what the proxy adds to region B's database round trips
 */
public record TwoRegionSettings(
    String size, long seed, int events, int incidents, int rate, int partitions, int alertGroups, Duration downtime,
    Duration roundTrip) {

  public static TwoRegionSettings small(long seed) {
    return new TwoRegionSettings("small", seed, 1_500, 40, 100, 2, 6, Duration.ofSeconds(8), Duration.ofMillis(30));
  }

  public static TwoRegionSettings full(long seed) {
    return new TwoRegionSettings("full", seed, 20_000, 300, 250, 4, 40, Duration.ofSeconds(30), Duration.ofMillis(30));
  }

  /** {@code chaos.size} and {@code chaos.seed}, as the one-region run reads them. */
  public static TwoRegionSettings from(Properties system) {
    String size = system.getProperty("chaos.size", "small").strip().toLowerCase(Locale.ROOT);
    String seedText = system.getProperty("chaos.seed", "").strip();
    long seed = seedText.isEmpty() ? 20261127L : Long.parseLong(seedText);
    return switch (size) {
      case "", "small" -> small(seed);
      case "full" -> full(seed);
      default -> throw new IllegalArgumentException("chaos.size must be small or full, was " + size);
    };
  }

  /** The one-region plan's settings for this storm: no poison (the two regions are about order and copies), a few redeliveries. */
  ChaosSettings load() {
    return new ChaosSettings(size, seed, events, incidents, rate, partitions, 0.03, 0.0, 0.0, 0.0, 1, downtime);
  }
}
