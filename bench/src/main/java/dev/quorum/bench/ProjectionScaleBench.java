package dev.quorum.bench;

import static dev.quorum.event.testing.Catalogue.ack;
import static dev.quorum.event.testing.Catalogue.assigned;
import static dev.quorum.event.testing.Catalogue.escalated;
import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.note;
import static dev.quorum.event.testing.Catalogue.signalResolved;
import static dev.quorum.event.testing.Catalogue.triggered;
import static dev.quorum.event.testing.Catalogue.unassigned;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.testing.History;
import dev.quorum.projection.kafka.ProjectionMetrics;
import dev.quorum.projection.domain.AsOfViews;
import dev.quorum.projection.kafka.LocalViews;
import dev.quorum.projection.kafka.ProjectionTopology;
import dev.quorum.projection.kafka.StoreNames;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;

/**
 * The projection's costs at scale on the real topology (exactly-once, in a {@link TopologyTestDriver}, on
 * in-memory stores: the driver commits after every record, which makes RocksDB flush a memtable per
 * record, tens of milliseconds that a running instance spends once per commit interval): one incident of 100,000 events, one flapping stream of 5,000 episodes,
 * the time each late event takes depending on where it lands, and the as-of fold for 10, 1,000 and
 * 100,000 events. Numbers only; the tests assert the behaviour.
 */
public final class ProjectionScaleBench {
  private final int bigIncident;
  private final int episodes;
  private final StringBuilder out = new StringBuilder();

  private ProjectionScaleBench(int bigIncident, int episodes) {
    this.bigIncident = bigIncident;
    this.episodes = episodes;
  }

  public static void run(boolean quick, Path results) throws IOException {
    ProjectionScaleBench bench = quick ? new ProjectionScaleBench(10_000, 500) : new ProjectionScaleBench(100_000, 5_000);
    bench.header(quick);
    bench.flappingStream();
    bench.bigIncident();
    bench.asOf();
    Files.createDirectories(results.getParent());
    Files.writeString(results, bench.out.toString());
    System.out.print(bench.out);
    System.out.println("written to " + results);
  }

  /** bench/results/&lt;date&gt;-projection-scale-&lt;cores&gt;c.md */
  public static Path defaultFile(boolean quick) {
    return Path.of("bench", "results", LocalDate.now(ZoneOffset.UTC) + "-projection-scale-"
        + Runtime.getRuntime().availableProcessors() + "c" + (quick ? "-quick" : "") + ".md");
  }

  private void header(boolean quick) {
    out.append("# Projection at scale").append(quick ? " (quick)" : "").append("\n\n")
        .append("`./bench/run.sh projection` on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version())
        .append(".\nThe real topology (`ProjectionTopology`, exactly_once_v2) in a TopologyTestDriver, on in-memory stores: the\n")
        .append("driver commits after every record, and with RocksDB each commit flushes a memtable (40-100 ms per event\n")
        .append("measured here), which a running instance does once per commit interval. Values are still serialized and\n")
        .append("decoded through the stores' serdes. A late event sorts before events already applied; the projection re-folds\n")
        .append("from the checkpoint of the latest episode opened before it, reading the timeline one entry at a time,\n")
        .append("and stops at the opener of a later episode where the replay's state is the stored checkpoint's again:\n")
        .append("from there on it would fold the same events from the same state. The full re-fold row is `Fold.replay`\n")
        .append("over the decoded timeline, what every late event cost before checkpoints (decoding from RocksDB excluded).\n\n");
  }

  /** 5,000 episodes of a flapping alert; late acknowledgements in the latest, a middle and the first episode. */
  private void flappingStream() throws IOException {
    History history = History.random();
    List<Event> inOrder = new ArrayList<>();
    List<Event> lateLast = new ArrayList<>();
    List<Event> lateMiddle = new ArrayList<>();
    List<Event> lateFirst = new ArrayList<>();
    for (int i = 1; i <= episodes; i++) {
      inOrder.add(history.add(fired("fp")));
      Event acknowledge = history.add(ack());
      if (i == episodes) lateLast.add(acknowledge);
      else if (i == episodes / 2) lateMiddle.add(acknowledge);
      else if (i == 1) lateFirst.add(acknowledge);
      else inOrder.add(acknowledge);
      if (i < episodes) inOrder.add(history.add(signalResolved("fp")));
    }
    // four more late events in the latest episode: escalations held back, then sent oldest first
    for (int i = 0; i < 4; i++) lateLast.add(history.add(escalated(2 + i)));
    // the latest episode's trailing events stay in order after the held-back ones
    for (int i = 0; i < 20; i++) inOrder.add(history.add(note("still looking " + i)));

    try (Driver driver = new Driver()) {
      load(driver, inOrder, "One flapping stream of " + String.format("%,d", episodes) + " episodes",
          "late event lands in");
      row(driver, "the latest episode", 20 + lateLast.size(), lateLast);
      // an acknowledgement changes its episode only: the replay meets the stored fold two openers later
      row(driver, "episode " + (episodes / 2) + " (the middle)", 6, lateMiddle);
      row(driver, "episode 1", 6, lateFirst);
      List<Event> all = history.events();
      out.append(String.format("| full re-fold of the stream (%,d events) | %,d | %s |%n%n", all.size(), all.size(),
          ms(median(10, () -> Fold.replay(all)))));
      asOfFromCheckpoints(driver, all, episodes * 9 / 10);
    }
  }

  /**
   * As-of answers from the checkpoints of the stream just loaded (late events included), at the instant its
   * episode {@code number} began, beside the fold of what the event log would read for the same answer.
   */
  private void asOfFromCheckpoints(Driver driver, List<Event> all, int number) {
    Event opener = all.stream().filter(e -> e.data() instanceof dev.quorum.event.EventData.AlertFired).skip(number - 1)
        .findFirst().orElseThrow();
    var at = opener.stored().recordedAt().plusSeconds(30);
    var incident = opener.incidentId();
    AsOfViews views = new AsOfViews(driver.asOfSource(), java.time.Duration.ofSeconds(30));
    List<Event> known = Fold.upTo(all, at, Axis.RECORDED);
    out.append("### As-of from checkpoints\n\n")
        .append(String.format("Recorded as of 30 s after episode %,d of %,d began; the event log's answer folds the %,d events%n", number,
            episodes, known.size()))
        .append("known then (reading them from the database excluded). The whole incident's counters come from a checkpoint\n")
        .append("no late event sorts before (ADR 8): here that is episode 1's (its acknowledgement came late), so the\n")
        .append("checkpoints decline and the event log answers; the row times the decision.\n\n")
        .append("| answer | ms |\n|---|---:|\n")
        .append(String.format("| episode %,d from its checkpoint | %s |%n", number,
            ms(median(50, () -> views.episode(incident, number, at, Axis.RECORDED).orElseThrow()))))
        .append(String.format("| timeline page of episode %,d from the checkpoints | %s |%n", number,
            ms(median(50, () -> views.timeline(incident, at, Axis.RECORDED, null, number, 50).orElseThrow()))))
        .append(String.format("| whole incident: the checkpoints decline (%s) | %s |%n",
            views.state(incident, at, Axis.RECORDED).isEmpty() ? "declined" : "answered",
            ms(median(50, () -> views.state(incident, at, Axis.RECORDED)))))
        .append(String.format("| `Fold.foldAsOf` over the %,d known events | %s |%n%n", known.size(),
            ms(median(10, () -> Fold.foldAsOf(all, at, Axis.RECORDED)))));
  }

  /** Sends the in-order events, then heads the section with how long that took and opens its table. */
  private void load(Driver driver, List<Event> inOrder, String title, String firstColumn) {
    long start = System.nanoTime();
    inOrder.forEach(driver::send);
    double loadSeconds = seconds(System.nanoTime() - start);
    out.append("## ").append(title).append("\n\n")
        .append(String.format("%,d events in order: %.1f s, %.0f µs per event.%n%n", inOrder.size(), loadSeconds,
            loadSeconds * 1e6 / inOrder.size()))
        .append("| ").append(firstColumn).append(" | events replayed | ms per late event (each) |\n|---|---:|---|\n");
  }

  /** One incident of 100,000 events in one episode: late notes near the end and in the middle. */
  private void bigIncident() throws IOException {
    History history = History.random();
    List<Event> inOrder = new ArrayList<>();
    List<Event> lateEnd = new ArrayList<>();
    List<Event> lateMiddle = new ArrayList<>();
    inOrder.add(history.add(triggered()));
    for (int i = 1; i < bigIncident; i++) {
      Event event = history.add(switch (i % 4) {
        case 0 -> note("update " + i);
        case 1 -> assigned("user:bob");
        case 2 -> unassigned("user:bob");
        default -> escalated(1 + i % 100);
      });
      if (i == bigIncident / 2 || i == bigIncident / 2 + 1) lateMiddle.add(event);
      else if (i >= bigIncident - 30 && i < bigIncident - 27) lateEnd.add(event);
      else inOrder.add(event);
    }
    try (Driver driver = new Driver()) {
      load(driver, inOrder, "One incident of " + String.format("%,d", bigIncident) + " events (one episode)",
          "late event lands");
      row(driver, "30 events before the end", bigIncident, lateEnd);
      row(driver, "in the middle", bigIncident, lateMiddle);
      List<Event> all = history.events();
      out.append(String.format("| full re-fold (%,d events) | %,d | %s |%n%n", all.size(), all.size(),
          ms(median(5, () -> Fold.replay(all)))))
          .append("One episode holds the whole history here, so its checkpoint is its start: a late event in it\n")
          .append("replays the episode, as the fold must (any later event of the episode may change).\n\n");
    }
  }

  /** Fold.foldAsOf over histories of 10, 1,000 and 100,000 events, as the as-of route folds what it read. */
  private void asOf() {
    out.append("## As-of fold\n\nThe fold of the events read from the log (reading them from the database excluded), median of runs.\n\n")
        .append("| events | ms per as-of fold |\n|---:|---:|\n");
    for (int size : new int[] {10, 1_000, bigIncident}) {
      History history = History.random();
      history.add(triggered());
      for (int i = 1; i < size; i++) history.add(i % 2 == 0 ? note("n") : escalated(1 + i % 100));
      List<Event> events = history.events();
      var at = events.get(events.size() * 3 / 4).stored().recordedAt();
      int runs = size <= 1_000 ? 200 : 7;
      out.append(String.format("| %,d | %s |%n", size, ms(median(runs, () -> Fold.foldAsOf(events, at, Axis.RECORDED)))));
    }
    out.append('\n');
  }

  private void row(Driver driver, String where, int replayed, List<Event> late) {
    List<String> each = new ArrayList<>();
    for (Event event : late) {
      long start = System.nanoTime();
      driver.send(event);
      each.add(ms(System.nanoTime() - start));
    }
    out.append("| ").append(where).append(" | ~").append(String.format("%,d", replayed)).append(" | ")
        .append(String.join(", ", each)).append(" |\n");
  }

  private static long median(int runs, Runnable work) {
    long[] times = new long[runs];
    work.run(); // warm up
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.run();
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    return times[runs / 2];
  }

  private static String ms(long nanos) {
    double ms = nanos / 1e6;
    return ms < 10 ? String.format("%.2f", ms) : String.format("%.0f", ms);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** The topology on in-memory stores in a driver of its own, under a temporary state directory. */
  private static final class Driver implements AutoCloseable {
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> committed;
    private static final java.time.Duration PUBLICATION = java.time.Duration.ofMillis(100);

    Driver() throws IOException {
      stateDir = Files.createTempDirectory("projection-scale");
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projection-scale");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, PUBLICATION.toMillis());
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      TopicNames topics = TopicNames.DEFAULT;
      Function<String, org.apache.kafka.streams.state.KeyValueBytesStoreSupplier> stores = Stores::inMemoryKeyValueStore;
      driver = new TopologyTestDriver(ProjectionTopology.topology(topics,
          new ProjectionMetrics(new SimpleMeterRegistry(), Clock.systemUTC()), stores), props);
      committed = driver.createInputTopic(topics.committed(), new StringSerializer(), new ByteArraySerializer());
    }

    /** What an as-of answer reads of the driver's stores. */
    AsOfViews.Source asOfSource() {
      return LocalViews.asOf(driver.getKeyValueStore(StoreNames.STATE), driver.getKeyValueStore(StoreNames.CHECKPOINTS),
          driver.getKeyValueStore(StoreNames.APPLIED), driver.getKeyValueStore(StoreNames.TIMELINE));
    }

    void send(Event event) {
      committed.pipeInput(event.incidentId().toString(), EventCodec.encode(event));
      // a commit interval passes: the views of the episodes the event changed are published, as they would be
      driver.advanceWallClockTime(PUBLICATION);
    }

    @Override
    public void close() throws IOException {
      driver.close();
      try (var paths = Files.walk(stateDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

}
