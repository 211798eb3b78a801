package dev.quorum.bench.writer;

import dev.quorum.kit.console.Progress;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Severity;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.ingest.config.Gateway;
import dev.quorum.ingest.config.GatewayConfig;
import dev.quorum.kit.http.TokenHasher;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency, as a responder sees it: from the gateway's 202 to the event being visible in the
 * projection's query API. The gateway, the writer and the projection run with their default
 * configuration on the bench's broker and database; a paced load posts responder actions through the
 * gateway, and one event in ten opens a new incident whose appearance ({@code GET /v1/incidents/{id}}
 * turning from 404 to 200) is timed.
 */
final class LatencyBench {
  /** Latency percentiles of one load level, in milliseconds. */
  record Result(String name, double rate, int samples, double p50, double p95, double p99, double max, long errors,
      double storedP50, double storedP99, double transactionP50, Batches batches, Pauses.Summary pauses,
      Segments segments) {}

  /**
   * One timed probe, in microseconds after its 202: the start of the transaction that stored it, the poll that
   * first found it stored, and the poll that found it visible in the query API.
   */
  record Probe(long transactionMicros, long storedMicros, long visibleMicros) {}

  /**
   * Where the probes' time went in one load level: each segment's p99 (202 to the transaction's start, the
   * transaction's start to the row seen stored, stored to visible), the slowest probes, and how much of the
   * level's wall time some task waited for a core or the disk (Linux pressure stall information; -1 where the
   * kernel has none).
   */
  record Segments(double waitP99, double storeP99, double visibleP99, List<Probe> slowest, double cpuSomePercent,
      double ioSomePercent, double ioFullPercent, Map<String, Double> cpuPerEvent, Map<String, Double> threadsPerEvent) {}

  /**
   * The stop-the-world collections of this JVM, which the gateway, the writer and the projection share, while
   * one load level ran: an event caught in one waits for it.
   */
  static final class Pauses implements javax.management.NotificationListener {
    record Summary(int count, long totalMillis, long maxMillis) {}

    private final ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();

    void install() {
      for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof javax.management.NotificationEmitter emitter) emitter.addNotificationListener(this, null, null);
      }
    }

    void uninstall() {
      for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof javax.management.NotificationEmitter emitter) {
          try {
            emitter.removeNotificationListener(this);
          } catch (javax.management.ListenerNotFoundException ignored) {
            // never added
          }
        }
      }
    }

    @Override
    public void handleNotification(javax.management.Notification notification, Object handback) {
      if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        return;
      }
      var info = com.sun.management.GarbageCollectionNotificationInfo.from(
          (javax.management.openmbean.CompositeData) notification.getUserData());
      // G1's concurrent cycles run beside the application; its young, mixed and full collections stop it.
      if (info.getGcName().contains("Concurrent")) return;
      millis.add(info.getGcInfo().getDuration());
    }

    /** The pauses since the last call. */
    Summary take() {
      int count = 0;
      long total = 0;
      long max = 0;
      for (Long pause; (pause = millis.poll()) != null; ) {
        count++;
        total += pause;
        max = Math.max(max, pause);
      }
      return new Summary(count, total, max);
    }
  }

  private final Pauses pauses = new Pauses();

  /** The writer's batches while one load level ran: how many, their mean size and step times. */
  record Batches(long count, double events, double databaseMillis, double kafkaMillis, double maxDatabaseMillis,
      double maxKafkaMillis) {}

  /** Counts the writer's committed batches (its observer runs on the writer's loop thread). */
  private static final class BatchCounter implements dev.quorum.writer.kafka.KafkaWriter.BatchObserver {
    private final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder events = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder databaseNanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder kafkaNanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAccumulator maxDatabase =
        new java.util.concurrent.atomic.LongAccumulator(Math::max, 0);
    private final java.util.concurrent.atomic.LongAccumulator maxKafka =
        new java.util.concurrent.atomic.LongAccumulator(Math::max, 0);

    @Override
    public void committed(int deliveries, long database, long kafka) {
      count.increment();
      events.add(deliveries);
      databaseNanos.add(database);
      kafkaNanos.add(kafka);
      maxDatabase.accumulate(database);
      maxKafka.accumulate(kafka);
    }

    /** The batches since the last call. */
    Batches take() {
      long n = count.sumThenReset();
      double each = Math.max(1, n);
      return new Batches(n, events.sumThenReset() / each, databaseNanos.sumThenReset() / 1e6 / each,
          kafkaNanos.sumThenReset() / 1e6 / each, maxDatabase.getThenReset() / 1e6, maxKafka.getThenReset() / 1e6);
    }
  }

  private final BatchCounter batches = new BatchCounter();

  private static final String TOKEN = "bench-latency-token";
  /** Probes per second, whatever the load: each is watched closely, and they add little load of their own. */
  private static final int PROBES_PER_SECOND = 10;
  /** At most this many probes are watched at once; a probe due while that many wait is skipped (and counted). */
  private static final int MAX_WATCHED = 16;
  private static final long POLL_NANOS = 5_000_000;
  /** How long the services run at the first rate before it is measured. */
  static final int WARM_UP_SECONDS = 90;

  private final EmbeddedKafka kafka;
  private final PostgresDatabase database;
  /** How often each answer came while waiting for probes (a 503 says the projection could not serve yet). */
  final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private String gatewayUrl;
  private String projectionUrl;

  private final com.zaxxer.hikari.HikariDataSource pool;

  /** CPU time of the sides of the run (this JVM, PostgreSQL, the broker). */
  private final CpuMeter cpu;

  LatencyBench(EmbeddedKafka kafka, PostgresDatabase database, CpuMeter cpu) {
    this.kafka = kafka;
    this.cpu = cpu;
    this.database = database;
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setDataSource(database.dataSource());
    config.setMaximumPoolSize(8);
    this.pool = new com.zaxxer.hikari.HikariDataSource(config);
  }

  /** Starts the three services, measures each rate for {@code seconds}, and stops them. */
  List<Result> run(List<Double> rates, int batchFrom, int seconds) throws Exception {
    kafka.createTopic(Topics.ACTIONS, 3, Map.of("message.timestamp.type", "LogAppendTime"));
    kafka.createTopic(Topics.COMMITTED, 3, Map.of());
    kafka.createTopic(Topics.DLQ, 1, Map.of());
    String clients = "bench:" + TokenHasher.hash(TOKEN, null) + ";source=bench/latency;actor=user:bench;scopes=publish+read";
    Path stateDir = Files.createTempDirectory("bench-projection");
    List<AutoCloseable> running = new ArrayList<>();
    try {
      Map<String, String> writer = new HashMap<>(database(Map.of("writer.http.port", "0", "writer.http.host", "127.0.0.1")));
      WriterService writerService = new WriterService(WriterConfig.parse(writer)).start();
      writerService.writer().observe(batches);
      running.add(writerService);
      Gateway gateway = new Gateway(GatewayConfig.parse(common(Map.of("gateway.http.port", "0",
          "gateway.http.host", "127.0.0.1", "gateway.clients", clients))), Clock.systemUTC()).start();
      running.add(gateway);
      gatewayUrl = gateway.baseUrl();
      Map<String, String> projection = new HashMap<>(database(Map.of("projection.http.port", "0",
          "projection.http.host", "127.0.0.1", "projection.http.clients", clients, "projection.topics.partitions", "3",
          "projection.state.dir", stateDir.toString())));
      ProjectionService projectionService = new ProjectionService(ProjectionConfig.parse(projection)).start();
      running.add(projectionService);
      projectionUrl = "http://127.0.0.1:" + projectionService.address().port();
      // As a deployment would: load begins once the writer and the projection say they are ready.
      long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(writerService.isReady() && projectionService.ready())) {
        if (System.nanoTime() > readyBy) throw new IllegalStateException("the writer or the projection was not ready in 120 s");
        TimeUnit.MILLISECONDS.sleep(100);
      }
      List<UUID> incidents = new ArrayList<>();
      for (int i = 0; i < 200; i++) incidents.add(UUID.randomUUID());
      pauses.install();
      running.add(pauses::uninstall);
      // The services start cold in this JVM: the first level runs for a while before it is measured, so that
      // the JIT compilers have caught up (at 1,000 events/s they spent 0.36 of a core for more than a minute);
      // that first stretch is reported too, as what a freshly started stack does.
      int warmup = Math.min(WARM_UP_SECONDS, 3 * seconds);
      List<Result> results = new ArrayList<>();
      results.add(measure(String.format(Locale.ROOT, "%,.0f events/s, the first %d s after the start", rates.getFirst(),
          warmup), rates.getFirst(), 1, warmup, incidents));
      for (double rate : rates) {
        int batch = rate >= batchFrom ? Math.max(1, (int) (rate / 500)) : 1;
        results.add(measure(String.format(Locale.ROOT, "%,.0f events/s%s", rate,
            batch > 1 ? " (" + batch + " per request)" : ""), rate, batch, seconds, incidents));
      }
      return results;
    } finally {
      Collections.reverse(running);
      for (AutoCloseable service : running) service.close();
      pool.close();
    }
  }

  private Map<String, String> common(Map<String, String> extra) {
    Map<String, String> config = new HashMap<>(extra);
    config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    return config;
  }

  private Map<String, String> database(Map<String, String> extra) {
    Map<String, String> config = common(extra);
    config.put("db.url", database.jdbcUrl());
    config.put("db.username", database.username());
    config.put("db.password", database.password());
    return config;
  }

  /** Posts {@code rate} events per second for {@code seconds}; every tenth opens an incident that is timed. */
  private Result measure(String name, double rate, int perRequest, int seconds, List<UUID> incidents) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    long total = (long) (rate * seconds);
    long requests = total / perRequest;
    long intervalNanos = (long) (1e9 * perRequest / rate);
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    // Each probe is watched by a thread of its own, asking every POLL_NANOS; at most MAX_WATCHED at once, so
    // the query load stays bounded however slow the pipeline is.
    ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor();
    Semaphore watched = new Semaphore(MAX_WATCHED);
    AtomicLong skipped = new AtomicLong();
    long sampleEvery = Math.max(1, Math.round(rate / PROBES_PER_SECOND));
    Semaphore inFlight = new Semaphore(256);
    Progress progress = Progress.onStandardError("latency " + name, requests);
    long[] pressureBefore = Pressure.read();
    Map<String, Double> cpuBefore = cpu.sample();
    Map<String, Double> threadsBefore = CpuMeter.threadsOfThisJvm();
    long start = System.nanoTime();
    probes.clear();
    batches.take(); // from here on
    pauses.take();
    for (long r = 0; r < requests; r++) {
      long due = start + r * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      List<Event> events = new ArrayList<>(perRequest);
      UUID sampled = null;
      for (int k = 0; k < perRequest; k++) {
        long n = r * perRequest + k;
        if (n % sampleEvery == 0 && sampled == null) {
          sampled = UUID.randomUUID();
          events.add(Event.of(UUID.randomUUID(), "bench/latency", sampled, Instant.now(), "user:bench",
              new EventData.IncidentTriggered("latency probe " + n, "bench", Severity.values()[0], null)));
        } else {
          events.add(Event.of(UUID.randomUUID(), "bench/latency", incidents.get(random.nextInt(incidents.size())),
              Instant.now(), "user:bench", new EventData.NoteAdded("update " + n + " on the incident")));
        }
      }
      UUID probe = sampled;
      inFlight.acquire();
      senders.execute(() -> {
        try {
          HttpResponse<Void> response = http.send(request(events), HttpResponse.BodyHandlers.discarding());
          long accepted = System.nanoTime();
          Instant acceptedAt = Instant.now();
          if (response.statusCode() != 202) {
            errors.incrementAndGet();
          } else if (probe != null) {
            if (watched.tryAcquire()) {
              watchers.execute(() -> {
                try {
                  watch(probe, accepted, acceptedAt, latencies);
                } finally {
                  watched.release();
                }
              });
            } else {
              skipped.incrementAndGet();
            }
          }
        } catch (Exception e) {
          errors.incrementAndGet();
        } finally {
          inFlight.release();
        }
      });
      if ((r & 63) == 0) progress.update(r);
    }
    senders.shutdown();
    senders.awaitTermination(60, TimeUnit.SECONDS);
    watchers.shutdown();
    if (!watchers.awaitTermination(120, TimeUnit.SECONDS)) watchers.shutdownNow();
    if (skipped.get() > 0) System.err.printf("bench: %d probes skipped (%d already watched)%n", skipped.get(), MAX_WATCHED);
    progress.done(requests);
    double elapsed = (System.nanoTime() - start) / 1e9;
    Segments segments = segments(Pressure.percent(pressureBefore, Pressure.read(), elapsed),
        WriterBench.perEvent(cpuBefore, cpu.sample(), total),
        WriterBench.perEvent(threadsBefore, CpuMeter.threadsOfThisJvm(), total));
    List<Double> millis = new ArrayList<>();
    for (long[] latency : latencies) millis.add(latency[0] / 1e6);
    Collections.sort(millis);
    List<Double> storedMillis = new ArrayList<>();
    for (long micros : storedMicros) storedMillis.add(micros / 1e3);
    storedMicros.clear();
    Collections.sort(storedMillis);
    List<Double> transactionMillis = new ArrayList<>();
    for (long micros : transactionMicros) transactionMillis.add(micros / 1e3);
    transactionMicros.clear();
    Collections.sort(transactionMillis);
    return new Result(name, total / elapsed, millis.size(), percentile(millis, 0.50), percentile(millis, 0.95),
        percentile(millis, 0.99), millis.isEmpty() ? Double.NaN : millis.getLast(), errors.get(),
        percentile(storedMillis, 0.50), percentile(storedMillis, 0.99), percentile(transactionMillis, 0.50),
        batches.take(), pauses.take(), segments);
  }

  private Segments segments(double[] pressure, Map<String, Double> cpuPerEvent, Map<String, Double> threadsPerEvent) {
    List<Probe> all = new ArrayList<>(probes);
    probes.clear();
    List<Double> wait = new ArrayList<>();
    List<Double> store = new ArrayList<>();
    List<Double> visible = new ArrayList<>();
    for (Probe probe : all) {
      wait.add(probe.transactionMicros() / 1e3);
      store.add((probe.storedMicros() - probe.transactionMicros()) / 1e3);
      visible.add((probe.visibleMicros() - probe.storedMicros()) / 1e3);
    }
    Collections.sort(wait);
    Collections.sort(store);
    Collections.sort(visible);
    all.sort(java.util.Comparator.comparingLong(Probe::visibleMicros).reversed());
    return new Segments(percentile(wait, 0.99), percentile(store, 0.99), percentile(visible, 0.99),
        List.copyOf(all.subList(0, Math.min(5, all.size()))), pressure[0], pressure[1], pressure[2], cpuPerEvent,
        threadsPerEvent);
  }

  /** Linux pressure stall information: the microseconds some (or all) tasks waited for a core or the disk. */
  static final class Pressure {
    private Pressure() {}

    /** cpu some, io some, io full totals in microseconds; -1 where unavailable. */
    static long[] read() {
      return new long[] {total("cpu", "some"), total("io", "some"), total("io", "full")};
    }

    static double[] percent(long[] before, long[] after, double seconds) {
      double[] percent = new double[before.length];
      for (int i = 0; i < before.length; i++) {
        percent[i] = before[i] < 0 || after[i] < 0 ? -1 : (after[i] - before[i]) / 1e4 / seconds;
      }
      return percent;
    }

    private static long total(String resource, String kind) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/pressure/" + resource))) {
          if (!line.startsWith(kind + " ")) continue;
          for (String field : line.split(" ")) {
            if (field.startsWith("total=")) return Long.parseLong(field.substring(6));
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        return -1;
      }
      return -1;
    }
  }

  private HttpRequest request(List<Event> events) {
    boolean one = events.size() == 1;
    return HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/events"))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", one ? EventCodec.MEDIA_TYPE : EventCodec.BATCH_MEDIA_TYPE)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(one ? EventCodec.encode(events.getFirst()) : EventCodec.encodeBatch(events)))
        .build();
  }

  /** 202 to stored in the database, for the probes of the current load level (where the time goes). */
  final ConcurrentLinkedQueue<Long> storedMicros = new ConcurrentLinkedQueue<>();
  /**
   * 202 to the start of the writer's database transaction that stored the probe (its {@code recorded_at},
   * the transaction's {@code now()}; the same clock): how long the event waited for the writer to take it.
   */
  final ConcurrentLinkedQueue<Long> transactionMicros = new ConcurrentLinkedQueue<>();
  /** Every timed probe of the current load level, with its segments. */
  private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();

  /** Asks the database, then the query API, every POLL_NANOS until the incident is in each (60 s at most). */
  private void watch(UUID incident, long accepted, Instant acceptedAt, ConcurrentLinkedQueue<long[]> latencies) {
    HttpRequest get = HttpRequest.newBuilder(URI.create(projectionUrl + "/v1/incidents/" + incident))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build();
    boolean stored = false;
    long transaction = 0;
    long storedAt = 0;
    try {
      while (System.nanoTime() - accepted < 60_000_000_000L) {
        long asked = System.nanoTime();
        if (!stored) {
          Instant recorded = recordedAt(incident);
          if (recorded != null) {
            stored = true;
            storedAt = (System.nanoTime() - accepted) / 1_000;
            transaction = Duration.between(acceptedAt, recorded).toNanos() / 1_000;
            storedMicros.add(storedAt);
            transactionMicros.add(transaction);
          }
        }
        int status = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        if (status == 200) {
          long visible = System.nanoTime() - accepted;
          latencies.add(new long[] {visible});
          if (stored) probes.add(new Probe(transaction, storedAt, visible / 1_000));
          return;
        }
        // Every 5 ms at first, then every 5 % of the probe's age: the precision stays relative, and a slow
        // pipeline is not slowed further by being asked ever more often.
        long wait = asked + Math.max(POLL_NANOS, (asked - accepted) / 20) - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      statuses.computeIfAbsent(-1, k -> new AtomicLong()).incrementAndGet();
    }
  }

  /** When the probe's row was recorded (its transaction's start), or null while it is not stored. */
  private Instant recordedAt(UUID incident) throws java.sql.SQLException {
    try (java.sql.Connection connection = pool.getConnection();
         var select = connection.prepareStatement("SELECT recorded_at FROM incident_event WHERE incident_id = ? LIMIT 1")) {
      select.setObject(1, incident);
      try (var rows = select.executeQuery()) {
        return rows.next() ? rows.getObject(1, java.time.OffsetDateTime.class).toInstant() : null;
      }
    }
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
