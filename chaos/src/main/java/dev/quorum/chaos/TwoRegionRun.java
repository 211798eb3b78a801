package dev.quorum.chaos;

import dev.quorum.chaos.TwoRegionPipeline.Region;
import dev.quorum.event.Event;
import dev.quorum.event.Topics;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.stack.kafka.KafkaTestClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import static org.awaitility.Awaitility.await;

/**
 * The two-region case of the chaos run: the storm through both regions' gateways, responders acting on
 * the same incidents in both, Alertmanager notifications posted to both, region B taken down whole mid-storm
 * and brought back; then the database, every committed and mirrored topic of both regions, and both
 * projections, checked against one another. Prints one summary line.
 */
public final class TwoRegionRun {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern LAG = Pattern.compile(
      "quorum_projection_replication_lag_seconds_(count|sum|max)\\{[^}]*topic=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)");

  private TwoRegionRun() {}

  /** The outcome: the summary line's numbers and what else was measured. */
  public record Result(TwoRegionSettings settings, long produced, long acknowledged, long stored, long lost, long unstored,
      long unknownStored, long duplicated, long alertmanagerEvents, long missingInA, long missingInB, long mismatchA,
      long mismatchB, long failovers, int unexpectedExits, List<String> rejections, Map<String, String> replicationLag, Duration downFor,
      Duration duration) {

    public String line() {
      return ("two-regions: seed=%d produced=%d acknowledged=%d stored=%d lost=%d duplicated=%d alertmanager_both_regions=%d "
          + "projection_mismatch_a=%d projection_mismatch_b=%d").formatted(settings.seed(), produced, acknowledged, stored, lost,
          duplicated, alertmanagerEvents, mismatchA, mismatchB);
    }

    public String details() {
      return ("two-regions: size=%s duration=%ds region_b_down=%ds failovers=%d round_trip_b=%dms missing_in_a=%d missing_in_b=%d "
          + "unexpected_exits=%d replication_lag=%s").formatted(settings.size(), duration.toSeconds(), downFor.toSeconds(), failovers,
          settings.roundTrip().toMillis(), missingInA, missingInB, unexpectedExits, replicationLag);
    }

    public List<String> violations() {
      List<String> v = new ArrayList<>();
      if (lost != 0) v.add(lost + " acknowledged events are not stored");
      if (unstored != 0 || unknownStored != 0 || stored != produced) {
        v.add("stored " + stored + " != produced " + produced + " (" + unstored + " unstored, " + unknownStored + " unknown)");
      }
      if (acknowledged != produced) v.add("acknowledged " + acknowledged + " != produced " + produced);
      if (duplicated != 0) v.add(duplicated + " events have more than one version across the database and the topics");
      if (missingInA != 0 || missingInB != 0) v.add("committed events missing from region A's topics: " + missingInA + ", B's: " + missingInB);
      if (mismatchA != 0 || mismatchB != 0) v.add("incidents differing from the fold: region A " + mismatchA + ", region B " + mismatchB);
      if (alertmanagerEvents == 0) v.add("no Alertmanager event was stored");
      if (!rejections.isEmpty()) v.add("the gateways refused valid events: " + rejections.stream().limit(3).toList());
      return v;
    }
  }

  public static Result run(TwoRegionSettings settings, Path dir) {
    long begin = System.nanoTime();
    LoadPlan plan = LoadPlan.draw(settings.load());
    ChaosRun.progress("two regions, seed=%d size=%s: %d events over %d incidents at %d/s, %d Alertmanager groups to both regions; logs in %s",
        settings.seed(), settings.size(), plan.newEvents, settings.incidents(), settings.rate(), settings.alertGroups(), dir);
    try (TwoRegionPipeline pipeline = new TwoRegionPipeline(settings, dir)) {
      pipeline.start();
      ChaosRun.progress("two regions up in %d s: A %s / %s, B %s / %s, B's database through a %d ms round trip",
          (System.nanoTime() - begin) / 1_000_000_000, pipeline.a.gatewayUrl, pipeline.a.projectionUrl, pipeline.b.gatewayUrl,
          pipeline.b.projectionUrl, settings.roundTrip().toMillis());
      TwoRegionLoad load = new TwoRegionLoad(plan, settings, List.of(pipeline.a.gatewayUrl, pipeline.b.gatewayUrl), pipeline.token);
      Thread loader = Thread.ofPlatform().name("regions-load").start(load::run);
      await("a third of the storm").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
          .until(() -> load.progress() >= 0.3 || !loader.isAlive());
      long down = System.nanoTime();
      ChaosRun.progress("region B down (broker, writer, gateway, projection, MirrorMaker) at %.0f%% of the storm", load.progress() * 100);
      pipeline.b.kill();
      sleep(settings.downtime());
      pipeline.b.restart();
      Duration downFor = Duration.ofNanos(System.nanoTime() - down);
      ChaosRun.progress("region B back after %d s", downFor.toSeconds());
      Threads.join(loader);
      ChaosRun.progress("storm done in %d s; waiting for both regions' writers", (System.nanoTime() - begin) / 1_000_000_000);
      for (Region r : pipeline.regions()) awaitWriter(pipeline, r);
      return verify(pipeline, load, downFor, begin);
    }
  }

  private static Result verify(TwoRegionPipeline pipeline, TwoRegionLoad load, Duration downFor, long begin) {
    Map<UUID, Event> stored = new HashMap<>();
    for (Event e : Verifier.storedEvents(pipeline.database.dataSource())) stored.put(e.id(), e);
    // the views first: once they equal the fold, MirrorMaker has copied what they needed, and the topics are read whole
    Map<String, Long> mismatch = new HashMap<>();
    for (Region r : pipeline.regions()) {
      mismatch.put(r.name, Verifier.mismatches(stored.values(), id -> Verifier.projected(r.projectionUrl, pipeline.token, id),
          pipeline::reviveExited, "region " + r.name + "'s projection"));
    }
    Map<UUID, Set<String>> versions = new HashMap<>();
    stored.forEach((id, e) -> versions.computeIfAbsent(id, k -> new HashSet<>()).add(EventCodec.encodeToString(e)));
    Map<String, Long> missing = new HashMap<>();
    for (Region r : pipeline.regions()) {
      Set<UUID> seen = new HashSet<>();
      for (String topic : List.of(Topics.COMMITTED, r.mirrored())) {
        seen.addAll(Verifier.collectVersions(Verifier.readCommitted(r.kafka.bootstrapServers(), topic), versions));
      }
      missing.put(r.name, stored.keySet().stream().filter(id -> !seen.contains(id)).count());
    }
    long duplicated = versions.values().stream().filter(v -> v.size() > 1).count();
    Set<UUID> produced = new HashSet<>(load.produced);
    produced.addAll(load.alertmanagerIds);
    Set<UUID> acknowledged = new HashSet<>(load.acknowledged);
    acknowledged.addAll(load.alertmanagerIds);
    long lost = acknowledged.stream().filter(id -> !stored.containsKey(id)).count();
    long unstored = produced.stream().filter(id -> !stored.containsKey(id)).count();
    long unknown = stored.keySet().stream().filter(id -> !produced.contains(id)).count();
    long alertmanager = load.alertmanagerIds.stream().filter(stored::containsKey).count();
    Map<String, String> lag = new HashMap<>();
    for (Region r : pipeline.regions()) lag.put(r.other + "->" + r.name, replicationLag(r.projectionUrl));
    Result result = new Result(pipeline.settings, produced.size(), acknowledged.size(), stored.size(), lost, unstored, unknown,
        duplicated, alertmanager, missing.get("A"), missing.get("B"), mismatch.get("A"), mismatch.get("B"), load.failovers.get(),
        pipeline.services().stream().mapToInt(Service::unexpectedExits).sum(),
        List.copyOf(load.rejections), lag, downFor, Duration.ofNanos(System.nanoTime() - begin));
    ChaosRun.progress("%s", result.details());
    result.violations().forEach(v -> ChaosRun.progress("VIOLATION: %s", v));
    System.out.println(result.line());
    return result;
  }

  /** Waits until the region's writer group committed offsets up to the end of its actions topic. */
  private static void awaitWriter(TwoRegionPipeline pipeline, Region region) {
    try (Admin admin = Admin.create(KafkaTestClients.admin(region.kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < pipeline.settings.partitions(); p++) request.put(new TopicPartition(Topics.ACTIONS, p), OffsetSpec.latest());
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      await("region " + region.name + "'s writer at the end of its actions topic").atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1)).until(() -> {
            pipeline.reviveExited();
            return Verifier.caughtUp(admin, region.group(), ends);
          });
    } catch (Exception e) {
      throw new IllegalStateException("could not follow region " + region.name + "'s writer", e);
    }
  }

  /** The projection's replication lag of its mirrored topic: mean and max, from its /metrics. */
  static String replicationLag(String projectionUrl) {
    try {
      String text = HTTP.send(HttpRequest.newBuilder(URI.create(projectionUrl + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Map<String, Double> values = new HashMap<>();
      Matcher m = LAG.matcher(text);
      while (m.find()) values.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
      double count = values.getOrDefault("count", 0.0);
      if (count == 0) return "none";
      return "mean %.0fms max %.0fms over %d".formatted(values.get("sum") / count * 1000, values.getOrDefault("max", Double.NaN) * 1000,
          (long) count);
    } catch (IOException e) {
      return "unavailable";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unavailable";
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
