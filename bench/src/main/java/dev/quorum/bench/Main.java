package dev.quorum.bench;

import dev.quorum.bench.writer.FoldBench;
import dev.quorum.bench.writer.Report;
import dev.quorum.bench.writer.WriterBench;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmarks. {@code writer} runs the writer against the database's ceiling and writes a
 * results file; {@code fold} the projection against the writer ({@link FoldBench}); {@code projection} measures the projection at scale ({@link ProjectionScaleBench}); with no argument, the micro-benchmarks print one ratio per line.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = List.of(args);
    boolean quick = arguments.contains("--quick");
    if (arguments.contains("projection")) {
      ProjectionScaleBench.run(quick, outFile(arguments, ProjectionScaleBench.defaultFile(quick)));
      return;
    }
    if (arguments.contains("fold")) {
      Report report = new Report("Fold bench: the projection against the writer" + (quick ? " (quick)" : ""));
      FoldBench.run((quick ? FoldBench.Options.quick() : FoldBench.Options.full()).with(arguments), report);
      report.write(outFile(arguments, FoldBench.defaultFile(quick)));
      return;
    }
    // the writer bench whole, or one of its parts alone
    String part = arguments.contains("publish") ? "publish" : arguments.contains("latency") ? "latency"
        : arguments.contains("writer") ? "writer" : null;
    if (part != null) {
      WriterBench.Options options = (quick ? WriterBench.Options.quick() : WriterBench.Options.full()).with(arguments);
      Report report = new Report(switch (part) {
        case "publish" -> "quorum publish -f against a plain producer";
        case "latency" -> "End-to-end latency at 1,000 events/s";
        default -> "Writer bench";
      } + (quick ? " (quick)" : ""));
      switch (part) {
        case "publish" -> WriterBench.publishOnly(options, report);
        case "latency" -> WriterBench.latencyOnly(options, report);
        default -> WriterBench.run(options, report);
      }
      report.write(outFile(arguments, part.equals("writer") ? Report.defaultFile(quick)
          : java.nio.file.Path.of("bench", "results", java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "-" + part + "-"
              + Runtime.getRuntime().availableProcessors() + "c" + (quick ? "-quick" : "") + ".md")));
      return;
    }
    Harness harness = quick ? new Harness(1, 3) : new Harness(5, 15);
    List<Harness.Result> results = new ArrayList<>(ModelBench.run(harness, quick ? 200 : 10_000));
    results.addAll(StoreBench.run(quick ? new Harness(1, 3) : new Harness(2, 7), quick ? 500 : 2_000, 250));
    System.out.println();
    System.out.println("benchmark                                        ratio     (candidate vs baseline, same process)");
    results.forEach(r -> System.out.println(r.line()));
  }

  /** {@code --out FILE}, else the dated default. */
  private static java.nio.file.Path outFile(List<String> arguments, java.nio.file.Path dated) {
    int out = arguments.indexOf("--out");
    return out >= 0 && out + 1 < arguments.size() ? java.nio.file.Path.of(arguments.get(out + 1)) : dated;
  }
}
