package dev.quorum.chaos;

import dev.quorum.chaos.LoadPlan.Item;
import dev.quorum.chaos.LoadPlan.Poison;
import dev.quorum.chaos.LoadPlan.Round;
import dev.quorum.chaos.LoadPlan.Valid;
import dev.quorum.event.Event;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.stack.kafka.KafkaTestClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a {@link LoadPlan} at a steady pace through the gateway (CloudEvents batches over HTTP) and a
 * direct Kafka producer, several rounds at once. Every record is sent until it is acknowledged: a
 * gateway request without an answer (connection refused or reset, timeout, 5xx) is sent again with the
 * same body, so the same event ids; a direct record whose send failed is produced again with the same
 * bytes. What was acknowledged is remembered for the verification.
 */
final class LoadGenerator {
  private static final int WORKERS = 4;
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(20);

  private final LoadPlan plan;
  private final ChaosSettings settings;
  private final String gatewayUrl;
  private final String token;
  private final String bootstrapServers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private KafkaProducer<byte[], byte[]> producer;

  final Set<UUID> produced = ConcurrentHashMap.newKeySet();
  final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
  final Set<UUID> poisonAcknowledged = ConcurrentHashMap.newKeySet();
  final List<String> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
  final AtomicLong publications = new AtomicLong();
  final AtomicLong gatewayRetries = new AtomicLong();
  final AtomicLong directRetries = new AtomicLong();
  final AtomicInteger roundsDone = new AtomicInteger();
  private final AtomicInteger nextRound = new AtomicInteger();
  private final AtomicLong nextDue = new AtomicLong(System.nanoTime());
  private final AtomicLong itemsDone = new AtomicLong();
  private final long total;
  private volatile boolean stopped;

  LoadGenerator(LoadPlan plan, ChaosSettings settings, String gatewayUrl, String token, String bootstrapServers) {
    this.plan = plan;
    this.settings = settings;
    this.gatewayUrl = gatewayUrl;
    this.token = token;
    this.bootstrapServers = bootstrapServers;
    this.total = plan.rounds.stream().mapToLong(Round::size).sum();
    this.producer = newProducer();
  }

  /** The share of the plan's records acknowledged so far, 0..1. */
  double progress() {
    return itemsDone.get() / (double) total;
  }

  /** Runs the plan to its end; returns when every record was acknowledged (or the run was stopped). */
  void run() {
    nextDue.set(System.nanoTime());
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(Thread.ofPlatform().name("load-" + w).start(() -> {
        for (int r; !stopped && (r = nextRound.getAndIncrement()) < plan.rounds.size(); ) {
          // pace: rounds start one interval apart at the configured rate; time lost to an outage is not
          // made up in a burst, so the load keeps publishing (and the faults keep falling) at one pace
          long interval = (long) (averageRound() / settings.rate() * 1e9);
          long now = System.nanoTime();
          long slot = nextDue.accumulateAndGet(now, (previous, current) -> Math.max(previous, current) + interval) - interval;
          long wait = slot - now;
          if (wait > 0) LockSupport.parkNanos(wait);
          send(plan.rounds.get(r));
          roundsDone.incrementAndGet();
        }
      }));
    }
    if (!Threads.joinAll(workers)) stopped = true;
    producer.close(Duration.ofSeconds(5));
  }

  void stop() {
    stopped = true;
  }

  private double averageRound() {
    return total / (double) plan.rounds.size();
  }

  /** One round: the direct records go out, the gateway batch is posted meanwhile, then both are awaited. */
  private void send(Round round) {
    List<Item> pending = new ArrayList<>(round.direct());
    List<Future<RecordMetadata>> sends = produce(pending);
    if (!round.gateway().isEmpty()) post(round.gateway());
    while (!pending.isEmpty() && !stopped) {
      List<Item> failed = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        try {
          sends.get(i).get(60, TimeUnit.SECONDS);
          acknowledge(pending.get(i));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          failed.add(pending.get(i));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!failed.isEmpty()) {
        directRetries.addAndGet(failed.size());
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      }
      pending = failed;
      sends = produce(pending);
    }
  }

  private List<Future<RecordMetadata>> produce(List<Item> items) {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (Item item : items) {
      ProducerRecord<byte[], byte[]> record = switch (item) {
        case Valid v -> new ProducerRecord<>(Topics.ACTIONS, key(v.event().incidentId()), EventCodec.encode(v.event()));
        case Poison p -> new ProducerRecord<>(Topics.ACTIONS, key(p.incident()), p.value());
      };
      if (item instanceof Valid v) produced.add(v.event().id());
      publications.incrementAndGet();
      sends.add(sendOrFail(record));
    }
    return sends;
  }

  private synchronized Future<RecordMetadata> sendOrFail(ProducerRecord<byte[], byte[]> record) {
    try {
      return producer.send(record);
    } catch (RuntimeException e) {
      // a producer that cannot go on (fatal idempotence state) is replaced; the record is sent again later
      producer.close(Duration.ZERO);
      producer = newProducer();
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  private void acknowledge(Item item) {
    switch (item) {
      case Valid v -> acknowledged.add(v.event().id());
      case Poison p -> poisonAcknowledged.add(p.id());
    }
    itemsDone.incrementAndGet();
  }

  /** Posts a batch until the gateway answers 202; no answer or a 5xx means: send the same body again. */
  private void post(List<Valid> batch) {
    StringBuilder body = new StringBuilder("[");
    for (Valid v : batch) {
      if (body.length() > 1) body.append(',');
      body.append(EventCodec.encodeToString(v.event()));
      produced.add(v.event().id());
    }
    body.append(']');
    HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/events"))
        .timeout(HTTP_TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", EventCodec.BATCH_MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
    while (!stopped) {
      publications.addAndGet(batch.size());
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
          batch.forEach(this::acknowledge);
          return;
        }
        if (response.statusCode() < 500) {
          rejections.add(response.statusCode() + " " + response.body());
          itemsDone.addAndGet(batch.size());
          return;
        }
      } catch (IOException e) {
        // no answer: the gateway is down or the connection broke; the events may or may not be on the topic
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      gatewayRetries.incrementAndGet();
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    Properties p = KafkaTestClients.producer(bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-direct");
    return new KafkaProducer<>(p);
  }

  private static byte[] key(UUID incident) {
    return incident.toString().getBytes(StandardCharsets.UTF_8);
  }
}
