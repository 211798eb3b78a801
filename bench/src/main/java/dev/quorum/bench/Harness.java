package dev.quorum.bench;

import dev.quorum.kit.console.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Measures a candidate against a baseline in the same process: warm both up, then alternate rounds
 * (baseline, candidate, baseline, ...) so that machine noise hits both alike, and report the median
 * ratio with its spread. Absolute times are printed for context only; the ratio is the result.
 */
public final class Harness {
  private final int warmupRounds;
  private final int rounds;

  public Harness(int warmupRounds, int rounds) {
    this.warmupRounds = warmupRounds;
    this.rounds = rounds;
  }

  /** A unit of work that returns how many operations it performed (and a value the JIT cannot drop). */
  public interface Work {
    long run();
  }

  public record Result(String name, String baseline, double medianRatio, double minRatio, double maxRatio,
      double baselineOpsPerSec, double candidateOpsPerSec) {
    public String line() {
      return String.format(Locale.ROOT, "%-48s %8.2fx  (min %.2f, max %.2f)  baseline %,.0f ops/s, candidate %,.0f ops/s  [vs %s]",
          name, medianRatio, minRatio, maxRatio, baselineOpsPerSec, candidateOpsPerSec, baseline);
    }
  }

  /** Ratio > 1 means the candidate does more operations per second than the baseline. */
  public Result compare(String name, String baselineName, Work baseline, Work candidate) {
    Progress warmup = Progress.onStandardError(name + " warm-up", warmupRounds);
    for (int i = 0; i < warmupRounds; i++) {
      time(baseline);
      time(candidate);
      warmup.update(i + 1);
    }
    warmup.done(warmupRounds);
    Progress measured = Progress.onStandardError(name, rounds);
    List<Double> ratios = new ArrayList<>();
    double baseSum = 0;
    double candSum = 0;
    for (int i = 0; i < rounds; i++) {
      double base = time(baseline);
      double cand = time(candidate);
      ratios.add(cand / base);
      baseSum += base;
      candSum += cand;
      measured.update(i + 1);
    }
    measured.done(rounds);
    ratios.sort(Double::compare);
    return new Result(name, baselineName, ratios.get(ratios.size() / 2), ratios.getFirst(), ratios.getLast(),
        baseSum / rounds, candSum / rounds);
  }

  private static double time(Work work) {
    long start = System.nanoTime();
    long ops = work.run();
    long elapsed = Math.max(1, System.nanoTime() - start);
    return ops * 1e9 / elapsed;
  }

  /** Keeps a computed value observable so the JIT cannot remove the work. */
  public static long sink(LongSupplier value) {
    return value.getAsLong();
  }
}
