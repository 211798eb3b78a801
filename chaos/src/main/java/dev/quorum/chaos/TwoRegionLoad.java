package dev.quorum.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chaos.LoadPlan.Item;
import dev.quorum.chaos.LoadPlan.Round;
import dev.quorum.chaos.LoadPlan.Valid;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.projection.kafka.ViewSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The two-region storm: each round of a {@link LoadPlan} goes out through both regions' gateways at the
 * same moment (one region's batch and the other region's batch act on the same incidents), and every few
 * rounds an Alertmanager notification is posted to both regions, as an HA pair does. A request without a
 * 202 is sent again with the same body, to the other region (a client failing over), then back: the same
 * event ids, whichever region takes them.
 */
final class TwoRegionLoad {
  private static final int WORKERS = 4;
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);

  private final LoadPlan plan;
  private final TwoRegionSettings settings;
  private final List<String> gateways;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final Set<UUID> produced = ConcurrentHashMap.newKeySet();
  final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
  /** Event ids of the Alertmanager notifications, as both regions' gateways answered them. */
  final Set<UUID> alertmanagerIds = ConcurrentHashMap.newKeySet();
  final AtomicLong failovers = new AtomicLong();
  final List<String> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger nextRound = new AtomicInteger();
  private final AtomicInteger roundsDone = new AtomicInteger();
  private final AtomicLong nextDue = new AtomicLong();

  TwoRegionLoad(LoadPlan plan, TwoRegionSettings settings, List<String> gateways, String token) {
    this.plan = plan;
    this.settings = settings;
    this.gateways = List.copyOf(gateways);
    this.token = token;
  }

  double progress() {
    return roundsDone.get() / (double) plan.rounds.size();
  }

  void run() {
    long perRound = (long) (plan.newEvents / (double) plan.rounds.size() / settings.rate() * 1e9);
    nextDue.set(System.nanoTime());
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(Thread.ofPlatform().name("regions-load-" + w).start(() -> {
        for (int r; (r = nextRound.getAndIncrement()) < plan.rounds.size(); ) {
          long now = System.nanoTime();
          long slot = nextDue.accumulateAndGet(now, (previous, current) -> Math.max(previous, current) + perRound) - perRound;
          if (slot > now) LockSupport.parkNanos(slot - now);
          round(r, plan.rounds.get(r));
          roundsDone.incrementAndGet();
        }
      }));
    }
    Threads.joinAll(workers);
  }

  /** One batch to one region and the other batch to the other, at once; an Alertmanager group to both every few rounds. */
  private void round(int index, Round round) {
    int first = index % 2;
    List<Valid> other = new ArrayList<>();
    for (Item item : round.direct()) if (item instanceof Valid v) other.add(v);
    List<Thread> sends = new ArrayList<>();
    sends.add(Thread.ofVirtual().start(() -> events(round.gateway(), first)));
    sends.add(Thread.ofVirtual().start(() -> events(other, 1 - first)));
    int every = Math.max(1, plan.rounds.size() / Math.max(1, settings.alertGroups()));
    if (index % every == 0 && index / every < settings.alertGroups()) {
      String body = alertmanager(index / every);
      for (int region = 0; region < 2; region++) {
        int to = region;
        sends.add(Thread.ofVirtual().start(() -> alertmanagerIds.addAll(post("/v1/integrations/alertmanager", body,
            "application/json", to))));
      }
    }
    Threads.joinAll(sends);
  }

  private void events(List<Valid> batch, int region) {
    if (batch.isEmpty()) return;
    StringBuilder body = new StringBuilder("[");
    for (Valid v : batch) {
      if (body.length() > 1) body.append(',');
      body.append(EventCodec.encodeToString(v.event()));
      produced.add(v.event().id());
    }
    body.append(']');
    acknowledged.addAll(post("/v1/events", body.toString(), EventCodec.BATCH_MEDIA_TYPE, region));
  }

  /** Posts until a 202, alternating regions after a failure; the ids the 202 names. */
  private List<UUID> post(String path, String body, String mediaType, int region) {
    for (int attempt = 0; ; attempt++) {
      String gateway = gateways.get((region + attempt) % 2);
      if (attempt > 0) failovers.incrementAndGet();
      try {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(HTTP_TIMEOUT)
            .header("Authorization", "Bearer " + token).header("Content-Type", mediaType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 202) {
          List<UUID> ids = new ArrayList<>();
          for (JsonNode e : ViewSerdes.JSON.readTree(response.body()).path("events")) ids.add(UUID.fromString(e.path("id").asText()));
          return ids;
        }
        if (response.statusCode() < 500) {
          rejections.add(response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
          return List.of();
        }
      } catch (IOException e) {
        // no answer: that region is down, or the connection broke
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
    }
  }

  /** A firing group of two alerts; its ids derive from the group and the alerts, so both regions compute the same ones. */
  private String alertmanager(int group) {
    String key = "{}:{alertname=\\\"RegionStorm" + group + "\\\"}";
    Instant startsAt = Instant.parse("2026-11-27T00:00:00Z").plusSeconds(group);
    StringBuilder alerts = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      if (i > 0) alerts.append(',');
      alerts.append("""
          {"status":"firing","labels":{"alertname":"RegionStorm%d","pod":"p-%d","severity":"critical"},
           "annotations":{"summary":"storm %d"},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z",
           "generatorURL":"http://prometheus:9090","fingerprint":"%016x"}""".formatted(group, i, group, startsAt, settings.seed() + group * 2L + i));
    }
    return """
        {"receiver":"quorum","status":"firing","alerts":[%s],"groupLabels":{"alertname":"RegionStorm%d"},
         "commonLabels":{"alertname":"RegionStorm%d"},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "version":"4","groupKey":"%s","truncatedAlerts":0}""".formatted(alerts, group, group, key);
  }
}
