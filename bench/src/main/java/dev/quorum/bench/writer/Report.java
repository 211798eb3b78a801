package dev.quorum.bench.writer;

import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results file of a writer bench run: the machine, then one section per measurement, in Markdown. */
public final class Report {
  private final StringBuilder text = new StringBuilder();
  private final String title;

  public Report(String title) {
    this.title = title;
    line("# " + title);
    line("");
  }

  /** Where the results go: {@code bench/results/<date>-<cores>c.md}, or {@code -quick} for a smoke run. */
  public static Path defaultFile(boolean quick) {
    return Path.of("bench", "results", LocalDate.now(ZoneOffset.UTC) + "-"
        + Runtime.getRuntime().availableProcessors() + "c" + (quick ? "-quick" : "") + ".md");
  }

  void environment(EmbeddedKafka kafka, EmbeddedPostgres postgres) {
    Runtime runtime = Runtime.getRuntime();
    line("## Machine");
    line("");
    line(f("- cores: %d; memory: %s; max heap of this JVM: %,d MiB", runtime.availableProcessors(), memory(),
        runtime.maxMemory() / (1024 * 1024)));
    line(f("- JDK: %s %s (%s)", System.getProperty("java.vm.name"), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    line(f("- Kafka %s, one KRaft broker in a child JVM (%s)", org.apache.kafka.common.utils.AppInfoParser.getVersion(),
        kafka.bootstrapServers()));
    line("- PostgreSQL " + postgresVersion(postgres) + " (embedded binaries, server defaults with fsync " + WriterBench.FSYNC
        + ("on".equals(WriterBench.FSYNC) ? "" : ": an experiment, commits do not wait for the disk") + ")");
    line("");
  }

  void workload(List<byte[]> encoded) {
    long bytes = 0;
    for (byte[] e : encoded) bytes += e.length;
    line("## Workload");
    line("");
    line(f("%,d events (notes, alerts firing and resolving, acks, assignments, roles, severity, escalations, "
        + "follow-ups, triggers, resolutions) over 1,000+ incidents; mean %,d bytes, produced by a plain idempotent "
        + "producer (acks=all) to a topic with LogAppendTime.", encoded.size(), bytes / Math.max(1, encoded.size())));
    line("");
  }

  void ceiling(Map<Ceiling.Method, Double> sampled, int sample, Ceiling.Method fastest, double ceiling, int batch,
      double storeAlone) {
    line("## The ceiling: plain JDBC into the same table");
    line("");
    line(f("Same table and indexes, one connection, %,d rows per transaction (the writer's mean batch in this run), "
        + "`ON CONFLICT (event_id) DO NOTHING`, "
        + "column values prepared before the clock starts (for unnest the data column as UTF-8 bytes, sent as a "
        + "binary array as the writer sends it). Each method on the first %,d events (a fresh database "
        + "each), then the fastest on all of them:", batch, sample));
    line("");
    line("| method | rows/s |");
    line("|---|---:|");
    sampled.forEach((method, rate) -> line(f("| %s (first %,d) | %,.0f |", method.name().toLowerCase(Locale.ROOT), sample, rate)));
    line(f("| **ceiling: %s, all events** | **%,.0f** |", fastest.name().toLowerCase(Locale.ROOT), ceiling));
    line("");
    line(f("Where the writer's database step stands among them: its own store (`JdbcEventStore.append` through the "
        + "transaction runner: the unnest insert with `RETURNING`, the anchors, the outcomes), alone on the same first "
        + "%,d events, decoded before the clock starts, no Kafka and nothing else running: %,.0f events/s, %.2fx the "
        + "fastest plain path on that sample.", sample, storeAlone,
        storeAlone / sampled.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    line("");
  }

  /**
   * {@code writers} and {@code ceilings}: the measured pairs, in the order they ran (writer, ceiling, writer,
   * ceiling...); the first writer's costs are the ones described.
   */
  void writer(List<WriterBench.Run> writers, List<Double> ceilings, String profile) {
    WriterBench.Run run = writers.getFirst();
    double writerRate = writers.stream().mapToDouble(WriterBench.Run::rate).average().orElseThrow();
    double ceiling = ceilings.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    line("## The writer against the ceiling");
    line("");
    line(f("The writer with its default configuration, reading the topic from Kafka and storing every event into a "
        + "fresh database; the rate runs from its first committed batch to its last (%.0f s). The writer and the "
        + "ceiling (all events, its fastest method) run in turn, %d time(s) each, every run into a fresh database; "
        + "writer/ceiling is the mean writer rate over the mean ceiling.", run.seconds(), writers.size()));
    line("");
    line("| pair | writer events/s | ceiling rows/s | writer/ceiling |");
    line("|---:|---:|---:|---:|");
    for (int i = 0; i < writers.size(); i++) {
      double w = writers.get(i).rate();
      double c = ceilings.get(i);
      line(f("| %d | %,.0f | %,.0f | %.2f |", i + 1, w, c, w / c));
    }
    line(f("| **mean** | **%,.0f** | **%,.0f** | **%.2f** |", writerRate, ceiling, writerRate / ceiling));
    line("");
    line(f("The first writer run: %,d batches, %.0f events each on average; per batch %.1f ms in the database "
        + "transaction and %.1f ms in the Kafka transaction.", run.batches(),
        run.events() / (double) Math.max(1, run.batches()), run.dbMillisPerBatch(), run.kafkaMillisPerBatch()));
    line("");
    line("CPU per stored event (from /proc, all threads of each process): " + cpu(run) + ".");
    line("");
    line("By thread (µs per event; `CN CompilerThread` is the JIT): writer JVM " + threads(run.jvmThreadMicrosPerEvent())
        + "; broker JVM " + threads(run.brokerThreadMicrosPerEvent()) + ".");
    line("");
    if (profile != null) {
      line("### Where the time goes (writer JVM, CPU)");
      line("");
      line(profile);
    }
    System.out.println(f("writer/ceiling = %.2f (writer %,.0f events/s, ceiling %,.0f rows/s, mean of %d pair(s))",
        writerRate / ceiling, writerRate, ceiling, writers.size()));
  }

  void replay(WriterBench.Run replay, WriterBench.Run first) {
    line("## Replay (every event already stored)");
    line("");
    line(f("A new consumer group reads the same topic into the same database: every event is a duplicate that is "
        + "read back and compared. %,.0f events/s, %.2fx the first storing (%.1f ms database, %.1f ms Kafka per batch; "
        + "CPU per event: %s).", replay.rate(), replay.rate() / first.rate(), replay.dbMillisPerBatch(),
        replay.kafkaMillisPerBatch(), cpu(replay)));
    line("");
    System.out.println(f("replay/first = %.2f", replay.rate() / first.rate()));
  }

  void latency(List<LatencyBench.Result> results, WriterBench.Run writer) {
    line("## End-to-end latency");
    line("");
    line(f("From the gateway's 202 to the event being visible in the projection's query API (a new incident's "
        + "`GET /v1/incidents/{id}` turning from 404 to 200, asked every 5 ms or every 5 %% of the probe's age, whichever is longer), with the gateway, the writer and the "
        + "projection in their default configuration. The first row is the first stretch after the services start, "
        + "while the JIT compilers still work; the rows after it are measured on the warm services, which "
        + "keep running. About %d events a second are timed (each opens an incident and "
        + "is watched by its own poller); the others are notes on 200 busy incidents.%s The stored column "
        + "is the time to the row being in the database (the writer's share), polled the same way; the transaction "
        + "column is the time to the start of the database transaction that stored it (its `recorded_at`): how long "
        + "the event waited for the writer to take it. GC pauses are the stop-the-world collections of the JVM the three "
        + "services share in this bench.", 10,
        writer == null ? "" : f(" The higher rate is 80 %% of the writer's sustained rate above (%,.0f events/s). The "
            + "databases of the runs above are dropped and the server checkpointed before this phase, so that it does not "
            + "measure their write-back.", writer.rate())));
    line("");
    line("| load | achieved events/s | timed | p50 ms | p95 ms | p99 ms | max ms | errors | stored p50 / p99 ms | transaction start p50 ms | writer batches: events, ms database / Kafka each (max) | GC pauses: count, total / max ms |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for (LatencyBench.Result r : results) {
      line(f("| %s | %,.0f | %,d | %.1f | %.1f | %.1f | %.1f | %d | %.1f / %.1f | %.1f | %,d of %.0f, %.1f / %.1f (%.0f / %.0f) | %d, %d / %d |",
          r.name(), r.rate(), r.samples(), r.p50(), r.p95(), r.p99(), r.max(), r.errors(), r.storedP50(), r.storedP99(),
          r.transactionP50(), r.batches().count(), r.batches().events(), r.batches().databaseMillis(),
          r.batches().kafkaMillis(), r.batches().maxDatabaseMillis(), r.batches().maxKafkaMillis(), r.pauses().count(),
          r.pauses().totalMillis(), r.pauses().maxMillis()));
      System.out.println(f("latency %s: p50 %.1f ms, p99 %.1f ms (stored in the database: p50 %.1f ms; its transaction"
          + " began at p50 %.1f ms)", r.name(), r.p50(), r.p99(), r.storedP50(), r.transactionP50()));
    }
    line("");
    line("Where the time of the timed events went, per segment: waiting for the writer (202 to the start of the "
        + "transaction that stored it), storing (that start to the row seen in the database, which includes the poll's "
        + "step), and becoming visible (stored to the query API's 200: the Kafka transaction, the projection, the poll). "
        + "Pressure is the share of the level's wall time in which some task waited for a core, or for the disk (some / "
        + "all tasks), from Linux's pressure stall information. CPU is per event sent, over the level (the services' "
        + "JVM also runs the load and the probes).");
    line("");
    line("| load | p99 ms: waiting / storing / visible | slowest five: waiting + storing + visible ms | pressure: cpu some, io some / full | CPU µs per event | services' JVM by thread, µs per event |");
    line("|---|---|---|---|---|---|");
    for (LatencyBench.Result r : results) {
      LatencyBench.Segments s = r.segments();
      StringBuilder slowest = new StringBuilder();
      for (LatencyBench.Probe p : s.slowest()) {
        if (!slowest.isEmpty()) slowest.append("; ");
        slowest.append(f("%.0f + %.0f + %.0f", p.transactionMicros() / 1e3,
            (p.storedMicros() - p.transactionMicros()) / 1e3, (p.visibleMicros() - p.storedMicros()) / 1e3));
      }
      line(f("| %s | %.1f / %.1f / %.1f | %s | %.1f %%, %.1f %% / %.1f %% | %s | %s |", r.name(), s.waitP99(), s.storeP99(),
          s.visibleP99(), slowest, s.cpuSomePercent(), s.ioSomePercent(), s.ioFullPercent(), micros(s.cpuPerEvent()),
          micros(s.threadsPerEvent())));
    }
    line("");
  }

  private static String micros(Map<String, Double> perEvent) {
    StringBuilder text = new StringBuilder();
    perEvent.forEach((name, value) -> text.append(text.isEmpty() ? "" : ", ").append(f("%s %.1f", name, value)));
    return text.toString();
  }

  /**
   * DSQL on paper: from the measured per-batch costs, what a writer instance sustains when every commit
   * also pays a cross-region round trip, and how many instances (and partitions) a target needs.
   */
  void dsqlOnPaper(WriterBench.Run writer) {
    double events = writer.events() / (double) Math.max(1, writer.batches());
    double db = writer.dbMillisPerBatch();
    double kafka = writer.kafkaMillisPerBatch();
    double cpuMicros = writer.cpuMicrosPerEvent().getOrDefault("writer JVM", 0.0);
    int lanes = Integer.getInteger("bench.writer.writer.db.lanes",
        Integer.parseInt(dev.quorum.writer.config.WriterConfig.DB_LANES.defaultValue()));
    line("## Aurora DSQL, on paper");
    line("");
    line(f("Measured here per batch (%.0f events): %.1f ms in the database transaction, %.1f ms in the Kafka "
        + "transaction, which overlap; the writer JVM spent %.1f µs of CPU per event. On a DSQL multi-region cluster a "
        + "commit adds a cross-region round trip (tens of ms; 30 and 60 ms below), and each writer instance runs one "
        + "database transaction at a time per lane (%d lanes; a partition's batches stay in one lane, in order), so an "
        + "instance sustains about events per batch / max((database time + commit latency) / lanes, Kafka time).",
        events, db, kafka, cpuMicros, lanes));
    line("");
    line("| commit latency | events/s per instance | instances for 10k/s | for 50k/s | for 100k/s |");
    line("|---|---:|---:|---:|---:|");
    for (double latency : new double[] {30, 60}) {
      double perInstance = events / (Math.max((db + latency) / lanes, kafka) / 1000.0);
      line(f("| %.0f ms | %,.0f | %d | %d | %d |", latency, perInstance, (int) Math.ceil(10_000 / perInstance),
          (int) Math.ceil(50_000 / perInstance), (int) Math.ceil(100_000 / perInstance)));
    }
    line("");
    line("Partitions bound the instances that can work (one instance per partition at most), so provision at least as "
        + "many partitions as the largest instance count (12 covers every row above), and give each instance its own "
        + "cores: what limits first is the one database transaction in flight per lane (latency-bound: more lanes, "
        + "instances or larger batches, up to DSQL's 3,000 rows, raise it; lanes need partitions to share out), then the per-event CPU of decoding and "
        + "publishing (about the figure above per event: 100k events/s is several cores of writer CPU, spread over the "
        + "instances), then the brokers' transaction coordinators (one Kafka transaction per batch and instance). DSQL "
        + "itself scales writes by key range; random event ids spread them, and no row is updated by every write, so "
        + "conflicts (OC000) arise only between writers that store the same ids at once, which the retry absorbs.");
    line("");
  }

  /**
   * {@code rounds}: events/s of the plain producer sending the command's records, of the command, and of the
   * plain producer sending them without the header, one triple per round.
   */
  void publish(int events, List<double[]> rounds) {
    double median = median(rounds.stream().map(r -> r[1] / r[0]).toList());
    double bareMedian = median(rounds.stream().map(r -> r[1] / r[2]).toList());
    line("## quorum publish -f");
    line("");
    line(f("%,d events from a JSON-lines file through `quorum publish -f` (every line decoded and validated, a "
        + "sliding window of acknowledgements) against a plain idempotent producer (acks=all, 256 KiB batches) "
        + "sending the same records (key, value and the `content-type` header the command writes), back to back in "
        + "each round; a round lasts a second or two, so there are %d measured rounds after one to warm up, and the "
        + "ratio is their median: **publish/plain = %.2f**. The last column is the same plain producer sending the "
        + "records without the header (median publish/that = %.2f).", events, rounds.size(), median, bareMedian));
    line("");
    line("| round | plain producer events/s | publish -f events/s | publish/plain | plain without the header events/s |");
    line("|---:|---:|---:|---:|---:|");
    for (int i = 0; i < rounds.size(); i++) {
      double[] r = rounds.get(i);
      line(f("| %d | %,.0f | %,.0f | %.2f | %,.0f |", i + 1, r[0], r[1], r[1] / r[0], r[2]));
    }
    line("");
    System.out.println(f("publish/plain = %.2f (median of %d rounds; %.2f against the plain producer without the header)",
        median, rounds.size(), bareMedian));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  void matrix(List<WriterBench.Run> runs) {
    line("## Partitions and writer instances");
    line("");
    line("| run | events/s | batches | ms db/batch | ms Kafka/batch | CPU per event |");
    line("|---|---:|---:|---:|---:|---|");
    for (WriterBench.Run run : runs) {
      line(f("| %s | %,.0f | %,d | %.1f | %.1f | %s |", run.name(), run.rate(), run.batches(), run.dbMillisPerBatch(),
          run.kafkaMillisPerBatch(), cpu(run)));
    }
    line("");
  }

  private static String threads(Map<String, Double> perEvent) {
    return String.join(", ", perEvent.entrySet().stream().map(e -> f("`%s` %.1f", e.getKey(), e.getValue())).toList());
  }

  private static String cpu(WriterBench.Run run) {
    StringBuilder text = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Double> side : run.cpuMicrosPerEvent().entrySet()) {
      if (!text.isEmpty()) text.append(", ");
      text.append(f("%s %.1f µs", side.getKey(), side.getValue()));
      total += side.getValue();
    }
    return text.append(f(" (total %.1f µs)", total)).toString();
  }

  /** Adds a free-form section. */
  public void section(String heading, String body) {
    line("## " + heading);
    line("");
    line(body);
    line("");
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text.toString());
    System.out.println("bench: results written to " + file);
  }

  public String text() {
    return text.toString();
  }

  private void line(String line) {
    text.append(line).append('\n');
  }

  private static String f(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return f("%.0f GiB", kib / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException ignored) {
      // not Linux: leave it out
    }
    return "unknown";
  }

  private static String postgresVersion(EmbeddedPostgres postgres) {
    try (Connection connection = postgres.dataSource().getConnection();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SHOW server_version")) {
      return rows.next() ? rows.getString(1) : "?";
    } catch (SQLException e) {
      return "?";
    }
  }
}
