package dev.quorum.bench.writer;

import dev.quorum.kit.console.Progress;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Does the projection keep up with the writer? One run on one machine: the writer stores a seeded workload
 * (many incidents and one hot incident) into the committed topic, and then the projection, with 1 and
 * with 2 stream threads, folds that same topic from its start. Each side's sustained rate runs from its
 * first event to its last, with the machine to itself; the result is the ratio projection/writer.
 */
public final class FoldBench {
  /** What one run measures. */
  /** Warm-up rounds, each running the writer and then the projection (its thread counts in turn). */
  static final int WARMUP_ROUNDS = 2;

  public record Options(int events, int incidents, int hotPercent, int partitions, int warmupEvents,
      List<Integer> threads, boolean profile, long seed, List<String> variants) {
    public static Options full() {
      return new Options(400_000, 1_000, 5, 3, 300_000, List.of(1, 2), true, 42L, List.of());
    }

    public static Options quick() {
      return new Options(3_000, 100, 5, 3, 0, List.of(1, 2), false, 42L, List.of());
    }

    /**
     * The defaults with {@code --events N}, {@code --warmup-events N}, {@code --partitions N}, {@code --seed S},
     * {@code --no-profile} and
     * {@code --variant key=value[,key=value]} (a further projection run, 1 stream thread, with those projection keys).
     */
    public Options with(List<String> args) {
      Options o = this;
      for (int i = 0; i < args.size(); i++) {
        String value = i + 1 < args.size() ? args.get(i + 1) : null;
        switch (args.get(i)) {
          case "--events" -> o = new Options(Integer.parseInt(value), o.incidents, o.hotPercent, o.partitions,
              o.warmupEvents, o.threads, o.profile, o.seed, o.variants);
          case "--warmup-events" -> o = new Options(o.events, o.incidents, o.hotPercent, o.partitions,
              Integer.parseInt(value), o.threads, o.profile, o.seed, o.variants);
          case "--partitions" -> o = new Options(o.events, o.incidents, o.hotPercent, Integer.parseInt(value),
              o.warmupEvents, o.threads, o.profile, o.seed, o.variants);
          case "--seed" -> o = new Options(o.events, o.incidents, o.hotPercent, o.partitions, o.warmupEvents,
              o.threads, o.profile, Long.parseLong(value), o.variants);
          case "--no-profile" -> o = new Options(o.events, o.incidents, o.hotPercent, o.partitions, o.warmupEvents,
              o.threads, false, o.seed, o.variants);
          case "--variant" -> o = new Options(o.events, o.incidents, o.hotPercent, o.partitions, o.warmupEvents,
              o.threads, o.profile, o.seed, java.util.stream.Stream.concat(o.variants.stream(), Stream.of(value)).toList());
          default -> { }
        }
      }
      return o;
    }
  }

  /** One projection run over the committed topic: what it did with the events, and how fast. */
  public record Fold(String name, int threads, long events, double seconds, Map<String, Long> outcomes,
      Map<String, Double> cpuMicrosPerEvent, Map<String, Double> jvmThreadMicrosPerEvent) {
    public double rate() {
      return events / seconds;
    }

    /** Every event the projection took, whatever it did with it. */
    public long total() {
      return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The run's result: the writer, then each projection run. */
  public record Result(long stored, WriterBench.Run writer, List<Fold> folds, String writerProfile,
      String projectionProfile, String brokerProfile) {}

  private final Options options;
  private final WriterBench writers;
  private final dev.quorum.stack.kafka.EmbeddedKafka kafka;
  private int applications;

  private FoldBench(Options options, WriterBench writers, dev.quorum.stack.kafka.EmbeddedKafka kafka) {
    this.options = options;
    this.writers = writers;
    this.kafka = kafka;
  }

  /** Runs the bench on its own broker and database and adds its sections to the report. */
  public static Result run(Options options, Report report) throws Exception {
    Result[] result = new Result[1];
    WriterBench.onStack(report, (kafka, postgres) -> {
      WriterBench writers = new WriterBench(WriterBench.Options.quick(), report, kafka, postgres);
      result[0] = new FoldBench(options, writers, kafka).all();
      report(report, options, result[0]);
    });
    return result[0];
  }

  /** Where the results go by default: {@code bench/results/<date>-fold-<cores>c.md}. */
  public static Path defaultFile(boolean quick) {
    Path dated = Report.defaultFile(quick);
    return dated.resolveSibling(dated.getFileName().toString().replaceFirst("-(\\d+c)", "-fold-$1"));
  }

  private Result all() throws Exception {
    int p = options.partitions();
    kafka.createTopic("bench.dlq", 1, Map.of());
    if (options.warmupEvents() > 0) {
      // Not measured: the JIT compilers of this JVM and of the broker compile both sides' paths first. Two
      // rounds, each side once per round: after one, the compilers still spent about 2 s of CPU during the
      // measured projection run (5 µs per event), which a long-running service has long behind it.
      kafka.createTopic("bench.fold.warmup", p, Map.of("message.timestamp.type", "LogAppendTime"));
      writers.load("bench.fold.warmup", options.warmupEvents(),
          new Workload(options.seed() - 1, options.incidents(), options.hotPercent()));
      for (int round = 1; round <= WARMUP_ROUNDS; round++) {
        String committed = "bench.fold.warmup.committed." + round;
        kafka.createTopic(committed, p, Map.of());
        writers.runWriters("writer warm-up " + round + " (not measured)", writers.freshDatabase(), "bench.fold.warmup",
            committed, "bench-fold-warmup-" + round, 1, options.warmupEvents());
        fold("projection warm-up " + round + " (not measured)", committed, options.warmupEvents(),
            options.threads().get((round - 1) % options.threads().size()), Map.of());
      }
    }
    kafka.createTopic("bench.fold.actions", p, Map.of("message.timestamp.type", "LogAppendTime"));
    kafka.createTopic("bench.fold.committed", p, Map.of());
    writers.load("bench.fold.actions", options.events(),
        new Workload(options.seed(), options.incidents(), options.hotPercent()));

    Profile writerProfile = options.profile() ? Profile.start(Path.of("bench/target/fold-writer.jfr")) : null;
    WriterBench.Run writer = writers.runWriters("writer", writers.freshDatabase(), "bench.fold.actions",
        "bench.fold.committed", "bench-fold-writer", 1, options.events());
    String writerSummary = writerProfile == null ? null : writerProfile.stopAndSummarise();
    System.out.println(f("writer: %,.0f events/s", writer.rate()));

    List<Fold> folds = new ArrayList<>();
    String projectionSummary = null;
    String brokerSummary = null;
    for (int threads : options.threads()) {
      boolean profiled = options.profile() && folds.isEmpty();
      Profile jvm = profiled ? Profile.start(Path.of("bench/target/fold-projection.jfr")) : null;
      Profile broker = profiled ? Profile.startIn(kafka.pid(), Path.of("bench/target/fold-broker.jfr")) : null;
      Fold fold = fold("projection, " + threads + " stream thread(s)", "bench.fold.committed", options.events(),
          threads, Map.of());
      if (jvm != null) projectionSummary = jvm.stopAndSummarise();
      if (broker != null) brokerSummary = broker.stopAndSummarise();
      folds.add(fold);
      System.out.println(f("%s: %,.0f events/s, projection/writer = %.2f, writer CPU/projection CPU = %.2f",
          fold.name(), fold.rate(), fold.rate() / writer.rate(),
          total(writer.cpuMicrosPerEvent()) / total(fold.cpuMicrosPerEvent())));
    }
    for (String variant : options.variants()) {
      Map<String, String> overrides = new LinkedHashMap<>();
      for (String pair : variant.split(",")) overrides.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      Fold fold = fold("projection, 1 stream thread, " + variant, "bench.fold.committed", options.events(), 1, overrides);
      folds.add(fold);
      System.out.println(f("%s: %,.0f events/s, projection/writer = %.2f", fold.name(), fold.rate(),
          fold.rate() / writer.rate()));
    }
    return new Result(options.events(), writer, folds, writerSummary, projectionSummary, brokerSummary);
  }

  /**
   * Starts a projection of its own (a new application id: empty views) over {@code committed} and waits
   * until it took {@code expected} events; the rate runs from the first event it took to the last.
   */
  private Fold fold(String name, String committed, long expected, int threads, Map<String, String> overrides)
      throws Exception {
    String application = "bench-fold-" + (++applications);
    Path stateDir = Files.createTempDirectory("bench-fold");
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    config.put("projection.application.id", application);
    config.put("projection.topic.committed", committed);
    config.put("projection.topic.rebuild", application + ".rebuild");
    config.put("projection.topic.incidents", application + ".incidents");
    config.put("projection.stream.threads", Integer.toString(threads));
    config.put("projection.state.dir", stateDir.toString());
    config.put("projection.http.port", "0");
    config.put("projection.http.host", "127.0.0.1");
    config.putAll(overrides);
    // Experiments only: -Dbench.projection.<key>=<value> overrides a default (the results say so).
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.projection."))
        .forEach(k -> config.put(k.substring("bench.".length()), System.getProperty(k)));
    try (ProjectionService service = new ProjectionService(ProjectionConfig.parse(config)).start()) {
      Map<String, Double> cpuBefore = writers.cpu().sample();
      Map<String, Double> threadsBefore = CpuMeter.threadsOfThisJvm();
      Progress progress = Progress.onStandardError(name, expected);
      long first = 0;
      long firstCount = 0;
      long taken;
      long lastChange = System.nanoTime();
      long lastTaken = -1;
      List<Counter> counters = List.copyOf(service.registry().find("quorum.projection.events").counters());
      while ((taken = total(counters)) < expected) {
        long now = System.nanoTime();
        if (taken > 0 && first == 0) {
          first = now;
          firstCount = taken;
        }
        if (taken != lastTaken) {
          lastTaken = taken;
          lastChange = now;
        } else if (now - lastChange > 120_000_000_000L) {
          throw new IllegalStateException(name + ": no progress for 120 s at " + taken + " of " + expected);
        }
        progress.update(taken);
        Thread.sleep(10);
      }
      long end = System.nanoTime();
      progress.done(taken);
      if (first == 0) {
        first = end;
        firstCount = 0;
      }
      long events = taken;
      Map<String, Double> cpuPerEvent = new LinkedHashMap<>();
      writers.cpu().sample().forEach((side, after) -> cpuPerEvent.put(side.replace("writer JVM", "projection JVM"),
          (after - cpuBefore.getOrDefault(side, 0.0)) * 1e6 / events));
      return new Fold(name, threads, taken - firstCount, Math.max(1e-3, (end - first) / 1e9), outcomes(service),
          cpuPerEvent, WriterBench.perEvent(threadsBefore, CpuMeter.threadsOfThisJvm(), events));
    } finally {
      deleteTree(stateDir);
    }
  }

  /** The projection's events counter by outcome (applied, refolded, duplicate, skipped, refused). */
  private static Map<String, Long> outcomes(ProjectionService service) {
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Counter counter : service.registry().find("quorum.projection.events").counters()) {
      outcomes.merge(counter.getId().getTag("outcome"), (long) counter.count(), Long::sum);
    }
    return outcomes;
  }

  private static long total(List<Counter> counters) {
    long total = 0;
    for (Counter counter : counters) total += (long) counter.count();
    return total;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    }
  }

  private static void report(Report report, Options options, Result result) {
    WriterBench.Run writer = result.writer();
    StringBuilder body = new StringBuilder();
    body.append(f("%,d events of the writer bench's mix (notes, alerts firing and resolving, acks, assignments, roles, "
        + "severity, escalations, follow-ups, triggers, resolutions) over %,d incidents, %d %% of them on one hot "
        + "incident; %d partitions. The writer stores them from Kafka into a fresh database and publishes them to the "
        + "committed topic; then each projection (a new application id, so empty views, RocksDB stores, "
        + "exactly_once_v2, its default configuration otherwise) folds that topic from its start. Each side has the "
        + "machine to itself while it runs, after %d warm-up rounds of both on %,d other events; each rate runs "
        + "from the side's first event to its last.%n%n", options.events(), options.incidents(), options.hotPercent(),
        options.partitions(), WARMUP_ROUNDS, options.warmupEvents()));
    body.append("| side | events | seconds | events/s | projection/writer | outcomes | CPU µs per event | "
        + "writer CPU / this CPU |\n");
    body.append("|---|---:|---:|---:|---:|---|---|---:|\n");
    body.append(f("| writer | %,d | %.1f | %,.0f | | stored %,d | %s | |%n", writer.events(), writer.seconds(),
        writer.rate(), result.stored(), cpu(writer.cpuMicrosPerEvent())));
    for (Fold fold : result.folds()) {
      body.append(f("| %s | %,d | %.1f | %,.0f | **%.2f** | %s | %s | %.2f |%n", fold.name(), fold.events(),
          fold.seconds(), fold.rate(), fold.rate() / writer.rate(), fold.outcomes(), cpu(fold.cpuMicrosPerEvent()),
          total(writer.cpuMicrosPerEvent()) / total(fold.cpuMicrosPerEvent())));
    }
    body.append('\n');
    body.append("projection/writer is the result. The last column compares the CPU each side spent per event (its JVM, "
        + "the broker and PostgreSQL, from /proc): on a machine other work shares, it changes less with that work "
        + "than the rates do.\n\n");
    for (Fold fold : result.folds()) {
      body.append(f("Projection JVM by thread, %s (µs per event): %s.%n%n", fold.name(),
          String.join(", ", fold.jvmThreadMicrosPerEvent().entrySet().stream()
              .map(e -> f("`%s` %.1f", e.getKey(), e.getValue())).toList())));
    }
    if (System.getProperties().stringPropertyNames().stream().anyMatch(k -> k.startsWith("bench.projection."))) {
      body.append("Overrides of this run: ").append(System.getProperties().stringPropertyNames().stream()
          .filter(k -> k.startsWith("bench.projection.")).map(k -> "`" + k + "=" + System.getProperty(k) + "`")
          .toList()).append("\n\n");
    }
    report.section("The projection against the writer", body.toString());
    if (result.projectionProfile() != null) {
      report.section("Where the time goes: projection JVM (1 stream thread), CPU", result.projectionProfile());
    }
    if (result.brokerProfile() != null) {
      report.section("Where the time goes: broker JVM while the projection (1 stream thread) runs, CPU",
          result.brokerProfile());
    }
    if (result.writerProfile() != null) {
      report.section("Where the time goes: the writer's JVM, CPU", result.writerProfile());
    }
  }

  private static double total(Map<String, Double> perEvent) {
    return perEvent.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static String cpu(Map<String, Double> perEvent) {
    double total = total(perEvent);
    return String.join(", ", perEvent.entrySet().stream().map(e -> f("%s %.1f", e.getKey(), e.getValue())).toList())
        + f(" (total %.1f)", total);
  }

  private static String f(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
