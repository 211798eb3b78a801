package dev.quorum.bench.writer;

import dev.quorum.kit.console.Progress;
import dev.quorum.event.Event;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.kafka.QuorumPublisher;
import dev.quorum.store.EventStore;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The writer against the database's ceiling, in one run on one machine: a real Kafka broker and a
 * real PostgreSQL, a seeded load of realistic events, the fastest plain JDBC insert of the same
 * events (the ceiling), then the writer with its default configuration storing them from Kafka.
 */
public final class WriterBench {
  /** What one run measures. */
  /**
   * @param pairs how many times the writer and then the ceiling are measured, in turn (each a fresh database): one
   *     run of each moved by several per cent from one bench to the next, as much as the gap to the target
   */
  public record Options(int events, int incidents, int partitions, int matrixEvents, boolean profile,
      long seed, int warmupEvents, int latencySeconds, int pairs) {
    public static Options full() {
      return new Options(2_600_000, 1_000, 3, 200_000, true, 42L, 1_000_000, 30, 2);
    }

    public static Options quick() {
      return new Options(4_000, 200, 3, 2_000, false, 42L, 0, 2, 2);
    }

    /**
     * The defaults with {@code --events N}, {@code --matrix-events N}, {@code --warmup-events N}, {@code --seed S}
     * {@code --latency-seconds N}, {@code --pairs N} and {@code --no-profile} applied.
     */
    public Options with(java.util.List<String> args) {
      Options o = this;
      for (int i = 0; i < args.size(); i++) {
        String value = i + 1 < args.size() ? args.get(i + 1) : null;
        switch (args.get(i)) {
          case "--events" -> o = new Options(Integer.parseInt(value), o.incidents, o.partitions,
              o.matrixEvents, o.profile, o.seed, o.warmupEvents, o.latencySeconds, o.pairs);
          case "--matrix-events" -> o = new Options(o.events, o.incidents, o.partitions,
              Integer.parseInt(value), o.profile, o.seed, o.warmupEvents, o.latencySeconds, o.pairs);
          case "--seed" -> o = new Options(o.events, o.incidents, o.partitions, o.matrixEvents,
              o.profile, Long.parseLong(value), o.warmupEvents, o.latencySeconds, o.pairs);
          case "--no-profile" -> o = new Options(o.events, o.incidents, o.partitions, o.matrixEvents,
              false, o.seed, o.warmupEvents, o.latencySeconds, o.pairs);
          case "--warmup-events" -> o = new Options(o.events, o.incidents, o.partitions,
              o.matrixEvents, o.profile, o.seed, Integer.parseInt(value), o.latencySeconds, o.pairs);
          case "--latency-seconds" -> o = new Options(o.events, o.incidents, o.partitions,
              o.matrixEvents, o.profile, o.seed, o.warmupEvents, Integer.parseInt(value), o.pairs);
          case "--pairs" -> o = new Options(o.events, o.incidents, o.partitions, o.matrixEvents, o.profile, o.seed,
              o.warmupEvents, o.latencySeconds, Math.max(1, Integer.parseInt(value)));
          default -> { }
        }
      }
      return o;
    }
  }

  /** One writer run: how many events it stored, in how long, and its per-batch step costs. */
  public record Run(String name, long events, double seconds, long batches, double dbMillisPerBatch,
      double kafkaMillisPerBatch, Map<String, Double> cpuMicrosPerEvent, Map<String, Double> jvmThreadMicrosPerEvent,
      Map<String, Double> brokerThreadMicrosPerEvent) {
    double rate() {
      return events / seconds;
    }
  }

  private final Options options;
  private final Report report;
  private final EmbeddedKafka kafka;
  private final EmbeddedPostgres postgres;
  /** The databases made so far, dropped before the latency is measured (see {@link #quiesce}). */
  private final List<PostgresDatabase> created = new ArrayList<>();
  private int databases;
  private final CpuMeter cpu;

  WriterBench(Options options, Report report, EmbeddedKafka kafka, EmbeddedPostgres postgres) {
    this.options = options;
    this.report = report;
    this.kafka = kafka;
    this.postgres = postgres;
    this.cpu = new CpuMeter(new java.util.LinkedHashMap<>(Map.of(
        "writer JVM", "dev.quorum.bench.Main", "PostgreSQL", postgres.dataDirectory().toString(),
        "Kafka broker", CpuMeter.PID + kafka.pid())));
  }

  /** What runs on the bench's own broker and database. */
  interface OnStack {
    void run(EmbeddedKafka kafka, EmbeddedPostgres postgres) throws Exception;
  }

  public static void run(Options options, Report report) throws Exception {
    onStack(report, (kafka, postgres) -> new WriterBench(options, report, kafka, postgres).all());
  }

  /**
   * Only {@code quorum publish -f} against a plain producer ({@code ./bench/run.sh publish}): a minute,
   * where the whole writer bench takes many.
   */
  public static void publishOnly(Options options, Report report) throws Exception {
    onStack(report, (kafka, postgres) -> {
      new WriterBench(options, report, kafka, postgres).publishCommand(options.matrixEvents());
    });
  }

  /**
   * Only the end-to-end latency at 1,000 events/s ({@code ./bench/run.sh latency}): the services on a fresh
   * broker and database, a warm-up, then {@code --latency-seconds} of measured load.
   */
  public static void latencyOnly(Options options, Report report) throws Exception {
    onStack(report, (kafka, postgres) -> {
      WriterBench bench = new WriterBench(options, report, kafka, postgres);
      report.latency(new LatencyBench(kafka, bench.freshDatabase(), bench.cpu()).run(List.of(1_000.0), Integer.MAX_VALUE,
          options.latencySeconds()), null);
    });
  }

  /** PostgreSQL's fsync: on, the server's default; {@code -Dbench.postgres.fsync=off} only to find what the disk costs. */
  static final String FSYNC = System.getProperty("bench.postgres.fsync", "on");

  /** Starts a Kafka broker (a child JVM) and a PostgreSQL with the server's defaults, and runs {@code body} on them. */
  static void onStack(Report report, OnStack body) throws Exception {
    System.err.println("bench: starting Kafka (child JVM) and PostgreSQL");
    EmbeddedKafka.Builder broker = EmbeddedKafka.builder().separateJvm(true)
        .childJvmOption("-XX:TieredStopAtLevel=4").childJvmOption("-Xms1g").childJvmOption("-Xmx1g");
    try (EmbeddedKafka kafka = broker.build().start();
         EmbeddedPostgres postgres = EmbeddedPostgres.builder()
             // the server's defaults: a commit waits for its WAL to reach the disk (off only as a labelled experiment)
             .serverConfig("fsync", FSYNC).build().start()) {
      report.environment(kafka, postgres);
      body.run(kafka, postgres);
    }
  }

  CpuMeter cpu() {
    return cpu;
  }

  private void all() throws Exception {
    String actions = "bench.actions";
    String committed = "bench.committed";
    kafka.createTopic(actions, options.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
    kafka.createTopic(committed, options.partitions(), Map.of());
    kafka.createTopic("bench.dlq", 1, Map.of());
    kafka.createTopic("bench.committed.warmup", options.partitions(), Map.of());
    report.workload(load(actions, options.events(), options.seed()));

    // A warm-up run (its own topic and database, not measured): the JIT compilers of this JVM and of the
    // broker's compile the writer's and the broker's paths first, so that the measured run is steady state
    // (after 300,000 events they still took 2.6 µs of CPU per event of the measured run; after 1,000,000, 1.4).
    if (options.warmupEvents() > 0) {
      kafka.createTopic("bench.warmup", options.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
      load("bench.warmup", options.warmupEvents(), options.seed() - 1);
      runWriters("warm-up (not measured)", freshDatabase(), "bench.warmup", "bench.committed.warmup", "bench-warmup", 1,
          options.warmupEvents());
    }

    // The writer with its defaults (after the warm-up run above), measured first so that the ceiling uses
    // the writer's own batch size; then a replay of the same topic into the same database.
    PostgresDatabase writerDb = freshDatabase();
    Run writer = runWriters("writer (default configuration)", writerDb, actions, committed, "bench-writer", 1,
        options.events());
    // Where the time goes: a run of its own, so that the profilers' cost is not in the measured rate. It
    // stores the warm-up topic again (the same kind of events) into a fresh database.
    String profileSummary = null;
    if (options.profile() && options.warmupEvents() > 0) {
      Profile profile = Profile.start(Path.of("bench/target/writer.jfr"));
      Profile brokerProfile = Profile.startIn(kafka.pid(), Path.of("bench/target/broker.jfr"));
      Run profiled = runWriters("writer under the profilers (not measured)", freshDatabase(), "bench.warmup",
          "bench.committed.warmup", "bench-profiled", 1, options.warmupEvents());
      profileSummary = String.format(java.util.Locale.ROOT, "Recorded in a separate run of %,d events from the warm-up "
              + "topic into a fresh database, after the measured run: %,.0f events/s under JFR in both JVMs.%n%n",
          profiled.events(), profiled.rate())
          + profile.stopAndSummarise()
          + "\n### Where the time goes (broker JVM, CPU)\n\n" + brokerProfile.stopAndSummarise();
    }

    // The ceiling: every plain JDBC path on a sample, then the fastest on all events, in batches of the
    // writer's mean batch size.
    int batch = Math.max(1, (int) Math.round(writer.events() / (double) Math.max(1, writer.batches())));
    // The same events again (the workload is a function of its seed): not held while the writers run, where two
    // gigabytes kept alive for the ceiling had G1 mark them again and again in the writer's JVM (1.9-2.2 µs of
    // CPU per stored event on its concurrent marking threads)
    List<byte[]> encoded = workloadEvents(options.events(), workload(options.events(), options.seed()));
    List<Ceiling.Row> rows = Ceiling.rows(encoded, options.partitions());
    int sample = Math.min(rows.size(), Math.max(batch * 20, rows.size() / 10));
    // Where the database step's time goes: the writer's own store on the same sample, alone (no Kafka, nothing
    // else running), against the plain paths below.
    double storeAlone = storeAlone(encoded.subList(0, sample), batch);
    encoded = null;
    Map<Ceiling.Method, Double> sampled = new EnumMap<>(Ceiling.Method.class);
    for (Ceiling.Method method : Ceiling.Method.values()) {
      sampled.put(method, Ceiling.run(freshDatabase().dataSource(), method, rows.subList(0, sample), batch));
    }
    Ceiling.Method fastest = sampled.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    double ceiling = Ceiling.run(freshDatabase().dataSource(), fastest, rows, batch);
    rows = null;
    report.ceiling(sampled, sample, fastest, ceiling, batch, storeAlone);
    // The writer and the ceiling again, in turn, each into a fresh database: one run of each moved by several per
    // cent from one bench to the next. The ceiling's rows are made again from the seed, not held while a writer runs.
    List<Run> writers = new ArrayList<>(List.of(writer));
    List<Double> ceilings = new ArrayList<>(List.of(ceiling));
    for (int pair = 2; pair <= options.pairs(); pair++) {
      writers.add(runWriters("writer (default configuration), pair " + pair, freshDatabase(), actions, committed,
          "bench-writer-" + pair, 1, options.events()));
      List<Ceiling.Row> again = Ceiling.rows(workloadEvents(options.events(), workload(options.events(), options.seed())),
          options.partitions());
      ceilings.add(Ceiling.run(freshDatabase().dataSource(), fastest, again, batch));
    }
    report.writer(writers, ceilings, profileSummary);
    Run replay = runWriters("replay (every event a duplicate)", writerDb, actions, committed, "bench-replay", 1,
        options.events());
    report.replay(replay, writer);
    report.dsqlOnPaper(writer);

    // End to end through the gateway, the writer and the projection: at 1,000 events/s and at 80 % of the
    // writer's sustained rate.
    if (options.latencySeconds() > 0) {
      quiesce();
      List<Double> rates = List.of(1_000.0, Math.max(1_000.0, 0.8 * writer.rate()));
      LatencyBench latency = new LatencyBench(kafka, freshDatabase(), cpu);
      report.latency(latency.run(rates, 2_000, options.latencySeconds()), writer);
      System.err.println("bench: query API answers while waiting for probes: " + latency.statuses);
    }

    // quorum publish -f against a plain idempotent producer, same events, same broker.
    if (options.matrixEvents() > 0) publishCommand(options.matrixEvents());

    if (options.matrixEvents() <= 0) return;
    List<Run> matrix = new ArrayList<>();
    for (int partitions : new int[] {1, 3, 12}) {
      String topic = "bench.actions." + partitions;
      kafka.createTopic(topic, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
      load(topic, options.matrixEvents(), options.seed() + partitions);
      for (int instances : new int[] {1, 2}) {
        matrix.add(runWriters(partitions + " partition(s), " + instances + " instance(s)", freshDatabase(), topic,
            committed, "bench-m" + partitions + "-" + instances, instances, options.matrixEvents()));
      }
    }
    report.matrix(matrix);
  }

  /** Measured rounds of {@code quorum publish -f} against the plain producer, after one to warm up. */
  static final int PUBLISH_ROUNDS = 5;

  /** Times {@code quorum publish -f} and a plain idempotent producer on the same events, alternately. */
  private void publishCommand(int count) throws Exception {
    Path file = java.nio.file.Files.createTempFile("bench-publish", ".jsonl");
    file.toFile().deleteOnExit();
    Workload workload = new Workload(options.seed() + 99, options.incidents());
    List<byte[]> keys = new ArrayList<>(count);
    List<byte[]> values = new ArrayList<>(count);
    try (var out = java.nio.file.Files.newBufferedWriter(file)) {
      for (int i = 0; i < count; i++) {
        Event event = workload.event(i);
        keys.add(Topics.key(event).getBytes(StandardCharsets.UTF_8));
        values.add(EventCodec.encode(event));
        out.write(new String(values.getLast(), StandardCharsets.UTF_8));
        out.newLine();
      }
    }
    // Each round sends the events once each way, back to back; a round lasts a second or two, so one round says
    // little on a shared machine: the first round only warms up, the ratio is the median of the others.
    // Every round's topics first: an idempotent producer sending to a partition the broker had only just made
    // leader was refused (NOT_LEADER_OR_FOLLOWER), then retried out of sequence until its delivery timeout, 120 s
    for (int round = 0; round < PUBLISH_ROUNDS + 1; round++) {
      for (String kind : List.of("plain", "bare", "command")) {
        kafka.createTopic("bench.publish." + kind + "." + round, options.partitions(), Map.of());
      }
    }
    List<double[]> rounds = new ArrayList<>();
    for (int round = 0; round < PUBLISH_ROUNDS + 1; round++) {
      String plainTopic = "bench.publish.plain." + round;
      String commandTopic = "bench.publish.command." + round;
      double plain = send(plainTopic, keys, values, PUBLISHED_HEADERS);
      // the same producer without the header, for the reader who asks what the header costs a plain producer
      String bareTopic = "bench.publish.bare." + round;
      double bare = send(bareTopic, keys, values, List.of());
      long start = System.nanoTime();
      int status = dev.quorum.ingest.cli.PublishCommand.commandLine().execute("-b", kafka.bootstrapServers(),
          "--topic", commandTopic, "-f", file.toString());
      if (status != 0) throw new IllegalStateException("quorum publish -f exited with " + status);
      double command = count / ((System.nanoTime() - start) / 1e9);
      if (round > 0) rounds.add(new double[] {plain, command, bare});
    }
    report.publish(count, rounds);
  }

  /**
   * The writer's store ({@code JdbcEventStore.append}, one pooled connection) alone on {@code encoded}, in batches of
   * {@code batch}: events per second. The events are decoded before the clock starts, as the ceiling's rows are.
   */
  private double storeAlone(List<byte[]> encoded, int batch) {
    java.time.Instant ingested = java.time.Instant.now();
    List<dev.quorum.store.Incoming> incoming = new ArrayList<>(encoded.size());
    for (int i = 0; i < encoded.size(); i++) {
      incoming.add(new dev.quorum.store.Incoming(EventCodec.decode(encoded.get(i)), ingested, i % options.partitions(),
          i / options.partitions()));
    }
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setDataSource(freshDatabase().dataSource());
    config.setMaximumPoolSize(1);
    config.setAutoCommit(true);
    config.setTransactionIsolation(TransactionRunner.REPEATABLE_READ);
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
      var store = new dev.quorum.store.jdbc.JdbcEventStore(new TransactionRunner(pool, RetryPolicy.DEFAULT, Duration.ofSeconds(30)));
      Progress progress = Progress.onStandardError("the writer's store alone", incoming.size());
      long start = System.nanoTime();
      for (int from = 0; from < incoming.size(); ) {
        int to = Math.min(incoming.size(), from + batch);
        // as the writer's batches: at most 3,000 rows, new incidents' anchors included
        while (EventStore.rowsModified(incoming.subList(from, to)) > EventStore.MAX_ROWS_PER_TRANSACTION) {
          to = from + (to - from) * 9 / 10;
        }
        store.append(incoming.subList(from, to));
        progress.update(to);
        from = to;
      }
      double rate = incoming.size() / ((System.nanoTime() - start) / 1e9);
      progress.done(incoming.size());
      return rate;
    }
  }

  /**
   * Drops the databases of the runs so far (millions of rows written in bulk) and checkpoints, so that the
   * latency is measured on a server that is not still writing their pages back.
   */
  private void quiesce() throws java.sql.SQLException {
    System.err.println("bench: dropping the " + created.size() + " databases of the runs above and checkpointing");
    for (PostgresDatabase database : created) postgres.dropDatabase(database);
    created.clear();
    try (java.sql.Connection connection = postgres.dataSource().getConnection();
         java.sql.Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
    }
  }

  PostgresDatabase freshDatabase() {
    PostgresDatabase database = postgres.newDatabase("bench_" + (++databases));
    created.add(database);
    TransactionRunner runner = new TransactionRunner(database.dataSource(), RetryPolicy.DEFAULT, Duration.ofSeconds(30));
    new Migrator(database.dataSource(), Dialect.POSTGRESQL, runner).migrate();
    return database;
  }

  /**
   * Produces the seeded events to the topic, keyed by incident, as a plain idempotent producer; a send
   * that failed (a fresh topic's leaders may still be moving) is sent again, so every event is there.
   */
  private List<byte[]> load(String topic, int count, long seed) throws Exception {
    return load(topic, count, workload(count, seed));
  }

  /** The workload of {@code count} events from {@code seed}: the same events for the same arguments. */
  private Workload workload(int count, long seed) {
    return new Workload(seed, Math.max(options.incidents(), count >= 1_000 ? 1_000 : 1));
  }

  /** Produces {@code count} events of {@code workload} to the topic; returns them encoded. */
  List<byte[]> load(String topic, int count, Workload workload) {
    List<byte[]> encoded = new ArrayList<>(count);
    List<byte[]> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Event event = workload.event(i);
      encoded.add(EventCodec.encode(event));
      keys.add(Topics.key(event).getBytes(StandardCharsets.UTF_8));
    }
    send(topic, keys, encoded, List.of());
    return encoded;
  }

  /** The first {@code count} events of {@code workload}, encoded as {@link #load} sends them. */
  private static List<byte[]> workloadEvents(int count, Workload workload) {
    List<byte[]> encoded = new ArrayList<>(count);
    for (int i = 0; i < count; i++) encoded.add(EventCodec.encode(workload.event(i)));
    return encoded;
  }

  /** Sends encoded events with a plain idempotent producer until every one was acknowledged; returns events/s. */
  /**
   * The headers of a record that {@code quorum publish -f} writes (CloudEvents' structured mode): the plain
   * producer of the publish rounds sends the same records, key, value and headers.
   */
  private static final List<Header> PUBLISHED_HEADERS = List.of(new RecordHeader(QuorumPublisher.CONTENT_TYPE_HEADER,
      QuorumPublisher.CONTENT_TYPE_VALUE.getBytes(StandardCharsets.UTF_8)));

  private double send(String topic, List<byte[]> keys, List<byte[]> values, List<Header> headers) {
    java.util.Queue<Integer> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    Progress progress = Progress.onStandardError("loading " + topic, values.size());
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
      for (int i = 0; i < values.size(); i++) {
        int index = i;
        producer.send(new ProducerRecord<>(topic, null, null, keys.get(i), values.get(i), headers), (metadata, error) -> {
          if (error != null) failed.add(index);
        });
        if ((i & 1023) == 0) progress.update(i);
      }
      producer.flush();
      for (int attempt = 1; !failed.isEmpty(); attempt++) {
        if (attempt > 5) throw new IllegalStateException(failed.size() + " events could not be produced to " + topic);
        System.err.printf("bench: sending %d failed events to %s again%n", failed.size(), topic);
        List<Integer> again = new ArrayList<>(failed);
        failed.clear();
        for (int index : again) {
          var record = new ProducerRecord<>(topic, null, null, keys.get(index), values.get(index), headers);
          producer.send(record, (metadata, error) -> {
            if (error != null) failed.add(index);
          });
        }
        producer.flush();
      }
    }
    double rate = values.size() / ((System.nanoTime() - start) / 1e9);
    progress.done(values.size());
    return rate;
  }

  private Properties producerProperties() {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return properties;
  }

  /**
   * Starts {@code instances} writers of one group with their default configuration and waits until
   * they published {@code expected} events; the rate runs from the first committed batch to the last.
   */
  Run runWriters(String name, PostgresDatabase database, String actions, String committed, String group,
      int instances, long expected) throws Exception {
    List<WriterService> services = new ArrayList<>();
    LongAdder batches = new LongAdder();
    LongAdder dbNanos = new LongAdder();
    LongAdder kafkaNanos = new LongAdder();
    AtomicLong firstCommit = new AtomicLong();
    AtomicLong firstBatch = new AtomicLong();
    try {
      for (int i = 0; i < instances; i++) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("db.url", database.jdbcUrl());
        config.put("db.username", database.username());
        config.put("db.password", database.password());
        config.put("writer.group.id", group);
        config.put("writer.instance.id", Integer.toString(i));
        config.put("writer.topic.actions", actions);
        config.put("writer.topic.committed", committed);
        config.put("writer.topic.dlq", "bench.dlq");
        config.put("writer.http.port", "0");
        config.put("writer.http.host", "127.0.0.1");
        // Experiments only: -Dbench.writer.<key>=<value> overrides a default (the results say so).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.writer."))
            .forEach(k -> config.put(k.substring("bench.".length()), System.getProperty(k)));
        WriterService service = new WriterService(WriterConfig.parse(config)).start();
        service.writer().observe((deliveries, databaseNanos, kafkaTxNanos) -> {
          if (firstCommit.compareAndSet(0, System.nanoTime())) firstBatch.set(deliveries);
          batches.increment();
          dbNanos.add(databaseNanos);
          kafkaNanos.add(kafkaTxNanos);
        });
        services.add(service);
      }
      Map<String, Double> cpuBefore = cpu.sample();
      Map<String, Double> threadsBefore = CpuMeter.threadsOfThisJvm();
      Map<String, Double> brokerThreadsBefore = CpuMeter.threadsOf(Long.toString(kafka.pid()));
      Progress progress = Progress.onStandardError(name, expected);
      long published;
      long lastProgress = System.nanoTime();
      long lastPublished = -1;
      while ((published = published(services)) < expected) {
        if (published != lastPublished) {
          lastPublished = published;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > 120_000_000_000L) {
          throw new IllegalStateException(name + ": no progress for 120 s at " + published + " of " + expected);
        }
        for (WriterService service : services) {
          if (!service.writer().isAlive()) throw new IllegalStateException(name + ": a writer stopped: " + service.writer().failure());
        }
        progress.update(published);
        Thread.sleep(20);
      }
      long end = System.nanoTime();
      progress.done(published);
      double seconds = (end - firstCommit.get()) / 1e9;
      long counted = published - firstBatch.get();
      long n = Math.max(1, batches.sum());
      Map<String, Double> cpuPerEvent = new java.util.LinkedHashMap<>();
      long events = published;
      cpu.sample().forEach((side, after) -> cpuPerEvent.put(side, (after - cpuBefore.getOrDefault(side, 0.0)) * 1e6 / events));
      return new Run(name, counted, seconds, batches.sum(), dbNanos.sum() / 1e6 / n, kafkaNanos.sum() / 1e6 / n,
          cpuPerEvent, perEvent(threadsBefore, CpuMeter.threadsOfThisJvm(), events),
          perEvent(brokerThreadsBefore, CpuMeter.threadsOf(Long.toString(kafka.pid())), events));
    } finally {
      for (WriterService service : services) service.close();
    }
  }

  /** CPU µs per event by thread kind, the busiest first. */
  static Map<String, Double> perEvent(Map<String, Double> before, Map<String, Double> after, long events) {
    Map<String, Double> perEvent = new java.util.LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 1e6 / events))
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> perEvent.put(e.getKey(), e.getValue()));
    return perEvent;
  }

  private static long published(List<WriterService> services) {
    long total = 0;
    for (WriterService service : services) total += service.writer().stats().eventsPublished();
    return total;
  }
}
