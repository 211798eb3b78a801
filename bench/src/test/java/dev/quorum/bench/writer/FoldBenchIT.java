package dev.quorum.bench.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fold bench at a tiny size, so that it keeps working: every projection run takes every event the
 * writer stored, each exactly once, with the same outcomes whatever the thread count, and the results
 * file has its table. Its rates are not checked here (a shared CI machine makes them noise).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FoldBenchIT {

  @Test
  void a_tiny_run_folds_every_stored_event_once_with_one_and_two_stream_threads(@TempDir Path dir) throws Exception {
    Report report = new Report("Fold bench (CI)");

    FoldBench.Result result = FoldBench.run(FoldBench.Options.quick(), report);
    Path file = dir.resolve("results.md");
    report.write(file);

    long stored = FoldBench.Options.quick().events();
    assertThat(result.stored()).isEqualTo(stored);
    assertThat(result.folds()).extracting(FoldBench.Fold::threads).containsExactly(1, 2);
    for (FoldBench.Fold fold : result.folds()) {
      assertThat(fold.total()).as(fold.name()).isEqualTo(stored);
      assertThat(fold.outcomes()).as(fold.name()).containsEntry("skipped", 0L).containsEntry("refused", 0L);
      assertThat(fold.outcomes().get("applied")).as(fold.name()).isPositive();
    }
    assertThat(result.folds().get(1).outcomes()).isEqualTo(result.folds().get(0).outcomes());
    assertThat(Files.readString(file)).contains("## Machine", "## The projection against the writer",
        "projection, 1 stream thread(s)", "projection, 2 stream thread(s)", "projection/writer");
  }
}
