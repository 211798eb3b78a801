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
      double storedP50, double storedP99) {}

  private static final String TOKEN = "bench-latency-token";
  private static final int SAMPLE_EVERY = 10;
  private static final long POLL_NANOS = 2_000_000;
  private static final int POLLERS = 4;

  private final EmbeddedKafka kafka;
  private final PostgresDatabase database;
  /** How often each answer came while waiting for probes (a 503 says the projection could not serve yet). */
  final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private String gatewayUrl;
  private String projectionUrl;

  LatencyBench(EmbeddedKafka kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
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
      running.add(new WriterService(WriterConfig.parse(writer)).start());
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
      List<UUID> incidents = new ArrayList<>();
      for (int i = 0; i < 200; i++) incidents.add(UUID.randomUUID());
      measure("warm-up (not reported)", 300, 1, Math.min(10, seconds), incidents);
      List<Result> results = new ArrayList<>();
      for (double rate : rates) {
        int batch = rate >= batchFrom ? Math.max(1, (int) (rate / 500)) : 1;
        results.add(measure(String.format(Locale.ROOT, "%,.0f events/s%s", rate,
            batch > 1 ? " (" + batch + " per request)" : ""), rate, batch, seconds, incidents));
      }
      return results;
    } finally {
      Collections.reverse(running);
      for (AutoCloseable service : running) service.close();
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
    // A few pollers take turns over every probe not seen yet: the query load stays bounded however slow
    // the pipeline is, and a probe is asked again at most every POLL_NANOS.
    java.util.concurrent.ConcurrentLinkedDeque<Probe> pending = new java.util.concurrent.ConcurrentLinkedDeque<>();
    java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
    ExecutorService watchers = Executors.newFixedThreadPool(POLLERS);
    for (int i = 0; i < POLLERS; i++) watchers.execute(() -> poll(pending, sending, latencies));
    Semaphore inFlight = new Semaphore(256);
    Progress progress = Progress.onStandardError("latency " + name, requests);
    long start = System.nanoTime();
    for (long r = 0; r < requests; r++) {
      long due = start + r * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      List<Event> events = new ArrayList<>(perRequest);
      UUID sampled = null;
      for (int k = 0; k < perRequest; k++) {
        long n = r * perRequest + k;
        if (n % SAMPLE_EVERY == 0 && sampled == null) {
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
          if (response.statusCode() != 202) {
            errors.incrementAndGet();
          } else if (probe != null) {
            pending.add(new Probe(probe, accepted, accepted, 0));
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
    sending.set(false);
    watchers.shutdown();
    if (!watchers.awaitTermination(120, TimeUnit.SECONDS)) watchers.shutdownNow();
    progress.done(requests);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Double> millis = new ArrayList<>();
    for (long[] latency : latencies) millis.add(latency[0] / 1e6);
    Collections.sort(millis);
    List<Double> storedMillis = new ArrayList<>();
    for (long micros : storedMicros) storedMillis.add(micros / 1e3);
    storedMicros.clear();
    Collections.sort(storedMillis);
    return new Result(name, total / elapsed, millis.size(), percentile(millis, 0.50), percentile(millis, 0.95),
        percentile(millis, 0.99), millis.isEmpty() ? Double.NaN : millis.getLast(), errors.get(),
        percentile(storedMillis, 0.50), percentile(storedMillis, 0.99));
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

  /** An incident whose appearance is timed from its 202; {@code storedNanos} once the database holds it. */
  private record Probe(UUID incident, long acceptedNanos, long lastAskedNanos, long storedNanos) {}

  /** 202 to stored in the database, for the probes of the current load level (where the time goes). */
  final ConcurrentLinkedQueue<Long> storedMicros = new ConcurrentLinkedQueue<>();

  /** Takes probes in turn until the load is sent and every probe was seen (or gave up after 60 s). */
  private void poll(java.util.concurrent.ConcurrentLinkedDeque<Probe> pending,
      java.util.concurrent.atomic.AtomicBoolean sending, ConcurrentLinkedQueue<long[]> latencies) {
    while (sending.get() || !pending.isEmpty()) {
      Probe probe = pending.pollFirst();
      try {
        if (probe == null) {
          TimeUnit.MILLISECONDS.sleep(1);
          continue;
        }
        long wait = probe.lastAskedNanos() + POLL_NANOS - System.nanoTime();
        if (probe.lastAskedNanos() != probe.acceptedNanos() && wait > 0) {
          pending.addLast(probe);
          if (pending.size() <= POLLERS) TimeUnit.NANOSECONDS.sleep(wait);
          continue;
        }
        long asked = System.nanoTime();
        long stored = probe.storedNanos();
        if (stored == 0 && isStored(probe.incident())) {
          stored = System.nanoTime();
          storedMicros.add((stored - probe.acceptedNanos()) / 1_000);
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create(projectionUrl + "/v1/incidents/" + probe.incident()))
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build();
        int status = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
        long now = System.nanoTime();
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        if (status == 200) {
          latencies.add(new long[] {now - probe.acceptedNanos()});
        } else if (now - probe.acceptedNanos() < 60_000_000_000L) {
          pending.addLast(new Probe(probe.incident(), probe.acceptedNanos(), asked, stored));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // the projection is busy: ask again later
        if (probe != null) pending.addLast(probe);
      }
    }
  }

  private final ThreadLocal<java.sql.Connection> connections = new ThreadLocal<>();

  private boolean isStored(UUID incident) throws java.sql.SQLException {
    java.sql.Connection connection = connections.get();
    if (connection == null) {
      connection = database.dataSource().getConnection();
      connections.set(connection);
    }
    try (var select = connection.prepareStatement("SELECT 1 FROM incident_event WHERE incident_id = ? LIMIT 1")) {
      select.setObject(1, incident);
      try (var rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
