package dev.quorum.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite as a test: the small configuration in every {@code verify}, the full one with
 * {@code -Pchaos-full} (which also writes {@code chaos/results/<date>-full.md}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChaosIT {

  @Test
  void nothing_acknowledged_is_lost_doubled_or_misprojected_while_processes_are_killed_and_commits_conflict() throws IOException {
    // Given the pipeline as processes and a seeded load with redeliveries and poison records
    ChaosSettings settings = ChaosSettings.from(System.getProperties());
    // the services' logs stay after the run, for a failure to be read
    Path dir = Files.createDirectories(Path.of("target", "chaos-logs",
        settings.size() + "-" + settings.seed() + "-" + System.currentTimeMillis()));

    // When writers, the gateway, the projection, the broker and PostgreSQL are killed and restarted under it
    Summary summary = ChaosRun.run(settings, dir);
    if (settings.size().equals("full")) record(summary);

    // Then the summary line holds
    assertThat(summary.violations()).as(summary.line() + "\n" + summary.details()).isEmpty();
    assertThat(summary.faults()).as("faults that ran")
        .containsOnlyOnce("GATEWAY_KILL", "PROJECTION_KILL", "BROKER_RESTART", "POSTGRES_RESTART")
        .filteredOn("WRITER_KILL"::equals).hasSize(settings.writerKills());
    assertThat(summary.produced()).isGreaterThanOrEqualTo(settings.events());
    assertThat(summary.redeliveries()).isGreaterThanOrEqualTo(summary.newEvents() / 20);
    assertThat(summary.poison()).isGreaterThanOrEqualTo(summary.newEvents() / 100);
    assertThat(summary.expectedDead()).isEqualTo(summary.poison());
  }

  /** Keeps the full run's result in the repository: {@code chaos/results/<date>-full.md}. */
  private static void record(Summary summary) throws IOException {
    Path results = Path.of(System.getProperty("chaos.results", "results"));
    Files.createDirectories(results);
    String verdict = summary.violations().isEmpty() ? "passed" : "FAILED: " + String.join("; ", summary.violations());
    Files.writeString(results.resolve(LocalDate.now(ZoneOffset.UTC) + "-full.md"), """
        # Chaos run (full), %s

        Command: `./chaos/run.sh` (`./mvnw -B -pl chaos -am verify -Pchaos-full -Dchaos.seed=%d`); %s, %d s,
        %d cores.

        ```
        %s
        %s
        ```
        """.formatted(LocalDate.now(ZoneOffset.UTC), summary.settings().seed(), verdict, summary.duration().toSeconds(),
        Runtime.getRuntime().availableProcessors(), summary.line(), summary.details()));
  }
}
