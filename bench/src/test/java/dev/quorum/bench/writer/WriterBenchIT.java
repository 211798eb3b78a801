package dev.quorum.bench.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer bench at a tiny size, so that it keeps working: every section of the results file is
 * written. Its numbers are not checked here (a shared CI machine makes them noise); the committed
 * results files hold the full runs.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterBenchIT {

  @Test
  void a_tiny_run_writes_every_section_of_the_results_file(@TempDir Path dir) throws Exception {
    Report report = new Report("Writer bench (CI)");

    WriterBench.run(WriterBench.Options.quick(), report);
    Path file = dir.resolve("results.md");
    report.write(file);

    assertThat(Files.readString(file)).contains("## Machine", "## Workload",
        "## The ceiling: plain JDBC into the same table", "## The writer against the ceiling", "writer/ceiling", "| pair | writer events/s | ceiling rows/s |", "| 2 |",
        "## Replay (every event already stored)", "## Aurora DSQL, on paper", "## End-to-end latency",
        "| 1,000 events/s, the first 6 s after the start |", "| load | p99 ms: waiting / storing / visible |",
        "## quorum publish -f", "plain without the header events/s |", "## Partitions and writer instances", "12 partition(s), 2 instance(s)");
  }
}
