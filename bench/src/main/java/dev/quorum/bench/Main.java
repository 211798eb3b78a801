package dev.quorum.bench;

import dev.quorum.bench.writer.Report;
import dev.quorum.bench.writer.WriterBench;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmarks. {@code writer} runs the writer against the database's ceiling and writes a
 * results file; {@code projection} measures the projection at scale ({@link ProjectionScaleBench}); with no argument, the micro-benchmarks print one ratio per line.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = List.of(args);
    boolean quick = arguments.contains("--quick");
    if (arguments.contains("projection")) {
      ProjectionScaleBench.run(quick, ProjectionScaleBench.defaultFile(quick));
      return;
    }
    if (arguments.contains("writer")) {
      Report report = new Report("Writer bench" + (quick ? " (quick)" : ""));
      WriterBench.run((quick ? WriterBench.Options.quick() : WriterBench.Options.full()).with(arguments), report);
      int out = arguments.indexOf("--out");
      report.write(out >= 0 && out + 1 < arguments.size() ? java.nio.file.Path.of(arguments.get(out + 1))
          : Report.defaultFile(quick));
      return;
    }
    Harness harness = quick ? new Harness(1, 3) : new Harness(5, 15);
    List<Harness.Result> results = new ArrayList<>(ModelBench.run(harness, quick ? 200 : 10_000));
    results.addAll(StoreBench.run(quick ? new Harness(1, 3) : new Harness(2, 7), quick ? 500 : 2_000, 250));
    System.out.println();
    System.out.println("benchmark                                        ratio     (candidate vs baseline, same process)");
    results.forEach(r -> System.out.println(r.line()));
  }
}
