package dev.quorum.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quorum demo}: an incident storm driven through a gateway's real HTTP integrations, then the
 * projection's answer: Alertmanager groups firing and resolving, PagerDuty triggers, responders acting
 * on one incident at the same moment, and redeliveries of all of it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Drive a realistic incident storm through a running gateway (quorum up, or any), then print the "
        + "incidents, one timeline and the MTTA/MTTR table from the projection.")
public final class Demo implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--gateway", description = "the gateway's URL (default ${DEFAULT-VALUE})")
  String gateway = "http://127.0.0.1:8080";

  @Option(names = "--projection", description = "the query API's URL (default ${DEFAULT-VALUE})")
  String projection = "http://127.0.0.1:8083";

  @Option(names = "--token", description = "a bearer token with the scopes publish, alertmanager, pagerduty, read and "
      + "act-on-behalf (quorum up prints one; default: $QUORUM_TOKEN)", defaultValue = "${env:QUORUM_TOKEN}")
  String token;

  @Option(names = "--wait", description = "how long to wait for the projection: 30s, 2m (default ${DEFAULT-VALUE})",
      converter = DurationText.class)
  Duration wait = Duration.ofSeconds(60);

  /** Durations as the configuration writes them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code PT30S}. */
  static final class DurationText implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      return dev.quorum.kit.config.ConfigKey.parseDuration(text);
    }
  }

  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

  Demo(PrintStream out) {
    this.out = out;
  }

  public static int run(String[] args) {
    return new CommandLine(new Demo(System.out)).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (token == null || token.isBlank()) {
      System.err.println("quorum demo: give the token `quorum up` printed: --token TOKEN (or QUORUM_TOKEN)");
      return 2;
    }
    UUID storm = storm();
    return report(storm) ? 0 : 1;
  }

  /** Sends the storm; returns the incident the responders crowded on. */
  UUID storm() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    step("Alertmanager: group CheckoutErrors fires with three pods, delivered twice (retry and HA peer)");
    String groupKey = "{}:{alertname=\"CheckoutErrors\",run=\"" + run + "\"}";
    String firing = alertmanager("firing", groupKey, now.minusSeconds(90), List.of("checkout-7f9c-a", "checkout-7f9c-b", "checkout-7f9c-c"));
    UUID checkout = UUID.fromString(accepted(post("/v1/integrations/alertmanager", firing)).get(0).get("incidentId").asText());
    accepted(post("/v1/integrations/alertmanager", firing));

    step("Alertmanager: group QueueBacklog fires");
    String backlogKey = "{}:{alertname=\"QueueBacklog\",run=\"" + run + "\"}";
    accepted(post("/v1/integrations/alertmanager", alertmanager("firing", backlogKey, now.minusSeconds(60), List.of("orders-queue"))));

    step("PagerDuty Events v2: db-1 disk full triggers, redelivered twice; a cache warning triggers");
    String disk = pagerDuty("trigger", "disk-" + run, "Disk 95% full on db-1", "db-1", "critical");
    for (int i = 0; i < 3; i++) pagerDutyAccepted(post("/v1/integrations/pagerduty", disk));
    pagerDutyAccepted(post("/v1/integrations/pagerduty", pagerDuty("trigger", "cache-" + run, "Cache hit rate low", "cache-2", "warning")));

    step("Five responders act on the checkout incident at the same moment, then every request is sent again");
    List<String> actions = List.of(
        event(checkout, "user:alice", "quorum.incident.acknowledged", "{}"),
        event(checkout, "user:bob", "quorum.incident.acknowledged", "{}"),
        event(checkout, "user:carol", "quorum.responder.assigned", "{\"responder\":\"user:dave\"}"),
        event(checkout, "user:carol", "quorum.severity.changed", "{\"severity\":\"critical\"}"),
        event(checkout, "user:alice", "quorum.note.added", "{\"text\":\"5xx started with deploy 4812; rolling back\"}"),
        event(checkout, "user:bob", "quorum.note.added", "{\"text\":\"payments provider is green\"}"),
        event(checkout, "user:erin", "quorum.note.added", "{\"text\":\"customer support sees failed checkouts\"}"));
    atOnce(actions);
    atOnce(actions); // redeliveries: the same event ids, nothing doubles

    step("PagerDuty: db-1 acknowledged, then resolved; the checkout rollback lands and the group resolves");
    pagerDutyAccepted(post("/v1/integrations/pagerduty", pagerDuty("acknowledge", "disk-" + run, null, null, null)));
    pagerDutyAccepted(post("/v1/integrations/pagerduty", pagerDuty("resolve", "disk-" + run, null, null, null)));
    accepted(post("/v1/events", event(checkout, "user:alice", "quorum.note.added", "{\"text\":\"rollback of 4812 done\"}")));
    String resolved = alertmanager("resolved", groupKey, now.minusSeconds(90), List.of("checkout-7f9c-a", "checkout-7f9c-b", "checkout-7f9c-c"));
    accepted(post("/v1/integrations/alertmanager", resolved));
    accepted(post("/v1/integrations/alertmanager", resolved));
    return checkout;
  }

  /** Waits for the projection to show the storm, then prints it; false if it did not in time. */
  boolean report(UUID checkout) throws Exception {
    step("waiting for the projection");
    long deadline = System.nanoTime() + wait.toNanos();
    JsonNode incidents;
    while (true) {
      incidents = get("/v1/incidents?limit=20");
      // the checkout incident may not be projected yet (404) or its partition may be restoring (503)
      JsonNode timeline = getWhenThere("/v1/incidents/" + checkout + "/timeline?limit=100");
      boolean resolved = false;
      for (JsonNode item : incidents.path("items")) {
        if (item.path("incidentId").asText().equals(checkout.toString()) && item.path("status").asText().equalsIgnoreCase("resolved")) resolved = true;
      }
      boolean counted = false;
      for (JsonNode row : get("/v1/analytics/summary?by=service,severity")) {
        if (row.path("service").asText().equals("checkout") && row.path("resolved").asInt() >= 1
            && row.path("resolved").asInt() == row.path("episodes").asInt()) counted = true;
      }
      if (resolved && counted && timeline.path("entries").size() >= 14) break;
      if (System.nanoTime() > deadline) {
        System.err.println("quorum demo: the projection did not show the storm within " + wait.toSeconds() + " s");
        return false;
      }
      Thread.sleep(250);
    }
    out.println();
    out.println("Incidents");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("incident", "status", "severity", "service", "title"));
    for (JsonNode item : incidents.path("items")) {
      rows.add(List.of(item.path("incidentId").asText().substring(0, 8) + "/" + item.path("episode").asText(),
          item.path("status").asText(), text(item, "severity"), text(item, "service"), text(item, "title")));
    }
    table(rows);

    out.println();
    out.println("Timeline of " + checkout + " (the checkout incident; redeliveries are not in it twice)");
    rows = new ArrayList<>();
    rows.add(List.of("ingested", "event", "actor", "effect"));
    for (JsonNode entry : get("/v1/incidents/" + checkout + "/timeline?limit=100").path("entries")) {
      String effect = entry.path("effect").asText() + (entry.path("reason").isTextual() ? " (" + entry.path("reason").asText() + ")" : "");
      rows.add(List.of(entry.path("ingestedAt").asText().replaceFirst("^.*T", "").replaceFirst("(\\.\\d{3})\\d*Z$", "$1Z"),
          entry.path("type").asText().replace("quorum.", ""), entry.path("actor").asText(), effect));
    }
    table(rows);

    out.println();
    out.println("MTTA / MTTR by service and severity");
    rows = new ArrayList<>();
    rows.add(List.of("service", "severity", "episodes", "acknowledged", "MTTA", "resolved", "MTTR"));
    JsonNode summary = get("/v1/analytics/summary?by=service,severity");
    for (JsonNode row : summary.isArray() ? summary : summary.path("rows")) {
      rows.add(List.of(text(row, "service"), text(row, "severity"), row.path("episodes").asText(), row.path("acknowledged").asText(),
          seconds(row.path("meanSecondsToAcknowledge")), row.path("resolved").asText(), seconds(row.path("meanSecondsToResolve"))));
    }
    table(rows);
    return true;
  }

  // --- the requests ---

  private String alertmanager(String status, String groupKey, Instant startsAt, List<String> pods) {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "4").put("groupKey", groupKey).put("status", status).put("receiver", "quorum-demo").put("truncatedAlerts", 0)
        .put("externalURL", "http://alertmanager.example:9093");
    String alertname = groupKey.contains("Checkout") ? "CheckoutErrors" : "QueueBacklog";
    String service = groupKey.contains("Checkout") ? "checkout" : "orders";
    var alerts = body.putArray("alerts");
    for (String pod : pods) {
      ObjectNode alert = alerts.addObject();
      alert.put("status", status);
      alert.putObject("labels").put("alertname", alertname).put("service", service).put("severity", "critical").put("pod", pod)
          .put("run", run);
      alert.putObject("annotations").put("summary", alertname + " on " + pod);
      alert.put("startsAt", startsAt.toString())
          .put("endsAt", status.equals("resolved") ? Instant.now().toString() : "0001-01-01T00:00:00Z")
          .put("generatorURL", "http://prometheus.example:9090/graph?g0.expr=" + URLEncoder.encode("rate(http_requests_total{code=~\"5..\"}[5m]) > 0.05", StandardCharsets.UTF_8))
          .put("fingerprint", HexFormat.of().toHexDigits((pod + run).hashCode()) + "0000abcd");
    }
    return body.toString();
  }

  private String pagerDuty(String action, String dedupKey, String summary, String source, String severity) {
    ObjectNode body = JSON.createObjectNode();
    body.put("routing_key", "quorum-demo").put("event_action", action).put("dedup_key", dedupKey);
    if (summary != null) {
      body.putObject("payload").put("summary", summary).put("source", source).put("severity", severity)
          .put("timestamp", Instant.now().minusSeconds(45).truncatedTo(ChronoUnit.MILLIS).toString());
    }
    return body.toString();
  }

  private String event(UUID incident, String actor, String type, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"demo\",\"type\":\"" + type
        + "\",\"subject\":\"" + incident + "\",\"time\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
        + "\",\"datacontenttype\":\"application/json\",\"actor\":\"" + actor + "\",\"data\":" + data + "}";
  }

  /** Sends every request at the same moment, each from a thread of its own. */
  private void atOnce(List<String> events) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (String event : events) {
        sent.add(CompletableFuture.supplyAsync(() -> {
          try {
            gate.await();
            return post("/v1/events", event);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, threads));
      }
      gate.countDown();
      for (CompletableFuture<HttpResponse<String>> response : sent) accepted(response.join());
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response = query(path);
    if (response.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
    return JSON.readTree(response.body());
  }

  /** As {@link #get}, but an answer of "not there yet" (404, or 503 while a partition restores) is an empty node. */
  private JsonNode getWhenThere(String path) throws Exception {
    HttpResponse<String> response = query(path);
    if (response.statusCode() == 404 || response.statusCode() == 503) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    if (response.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> query(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(projection + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode accepted(HttpResponse<String> response) throws Exception {
    if (response.statusCode() != 202) {
      throw new IllegalStateException(response.request().uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("events");
  }

  private static void pagerDutyAccepted(HttpResponse<String> response) throws Exception {
    if (response.statusCode() != 202) {
      throw new IllegalStateException("PagerDuty route answered " + response.statusCode() + ": " + response.body());
    }
  }

  // --- printing ---

  private void step(String what) {
    out.println("quorum demo: " + what);
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isMissingNode() || node.path(field).isNull() ? "-" : node.path(field).asText();
  }

  private static String seconds(JsonNode value) {
    if (!value.isNumber()) return "-";
    double seconds = value.asDouble();
    if (seconds < 10) return String.format(java.util.Locale.ROOT, "%.1fs", seconds);
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
  }

  private void table(List<List<String>> rows) {
    Map<Integer, Integer> widths = new LinkedHashMap<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) widths.merge(i, Math.min(64, row.get(i).length()), Math::max);
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i).length() > 64 ? row.get(i).substring(0, 63) + "…" : row.get(i);
        line.append(i == row.size() - 1 ? cell : String.format("%-" + widths.get(i) + "s  ", cell));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
