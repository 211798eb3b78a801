package dev.quorum.bench;

import java.util.ArrayList;
import java.util.List;

/** Runs the benchmarks and prints one ratio per line (candidate ops/s over baseline ops/s). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    Harness harness = quick ? new Harness(1, 3) : new Harness(5, 15);
    List<Harness.Result> results = new ArrayList<>(ModelBench.run(harness, quick ? 200 : 10_000));
    results.addAll(StoreBench.run(quick ? new Harness(1, 3) : new Harness(2, 7), quick ? 500 : 2_000, 250));
    System.out.println();
    System.out.println("benchmark                                        ratio     (candidate vs baseline, same process)");
    results.forEach(r -> System.out.println(r.line()));
  }
}
