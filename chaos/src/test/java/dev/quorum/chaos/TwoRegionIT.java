package dev.quorum.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The two-region case of the chaos run (ADR 10): the small storm in every {@code verify}, the full one with {@code -Pchaos-full}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TwoRegionIT {

  @Test
  void with_region_b_down_mid_storm_nothing_is_lost_or_doubled_and_both_regions_show_the_fold_of_the_database() throws IOException {
    // Given two regions as processes and a storm through both gateways on the same incidents
    TwoRegionSettings settings = TwoRegionSettings.from(System.getProperties());
    Path dir = Files.createDirectories(Path.of("target", "chaos-logs",
        "regions-" + settings.size() + "-" + settings.seed() + "-" + System.currentTimeMillis()));

    // When region B goes down whole mid-storm and comes back
    TwoRegionRun.Result result = TwoRegionRun.run(settings, dir);
    if (settings.size().equals("full")) record(result);

    // Then the summary line holds
    assertThat(result.violations()).as(result.line() + "\n" + result.details()).isEmpty();
    assertThat(result.produced()).isGreaterThanOrEqualTo(settings.events());
    assertThat(result.alertmanagerEvents()).isGreaterThanOrEqualTo(settings.alertGroups());
    assertThat(result.failovers()).as("requests that found region B down and went to A").isPositive();
  }

  /** Keeps the full run's result in the repository: {@code chaos/results/<date>-regions-full.md}. */
  private static void record(TwoRegionRun.Result result) throws IOException {
    Path results = Files.createDirectories(Path.of(System.getProperty("chaos.results", "results")));
    String verdict = result.violations().isEmpty() ? "passed" : "FAILED: " + String.join("; ", result.violations());
    Files.writeString(results.resolve(java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "-regions-full.md"), """
        # Two-region chaos run (full), %s

        Command: `./chaos/run.sh` (its `TwoRegionIT`, `-Pchaos-full -Dchaos.seed=%d`); %s, %d s, %d cores.

        ```
        %s
        %s
        ```
        """.formatted(java.time.LocalDate.now(java.time.ZoneOffset.UTC), result.settings().seed(), verdict,
        result.duration().toSeconds(), Runtime.getRuntime().availableProcessors(), result.line(), result.details()));
  }
}
