package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TwoRegionsUpIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private Up up;

  @AfterEach
  void stop() {
    if (up != null) up.shutdown();
  }

  @Test
  void an_incident_posted_to_both_regions_is_stored_once_and_each_region_lists_what_the_other_ingested() throws Exception {
    // Given two regions in this JVM, on free ports
    up = new Up(new PrintStream(output, true, StandardCharsets.UTF_8));
    new CommandLine(up).parseArgs("--regions", "2", "--gateway-port", "0", "--gateway-ops-port", "0", "--writer-port", "0",
        "--projection-port", "0", "--partitions", "2");
    TwoRegionsUp two = new TwoRegionsUp(up);
    two.start();
    var a = two.urls().get(0);
    var b = two.urls().get(1);

    // When the same PagerDuty trigger is posted to both regions' gateways (a retrying client)
    for (var region : two.urls()) {
      HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(region.gateway() + "/v1/integrations/pagerduty"))
          .header("Authorization", "Bearer " + up.token()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"routing_key":"demo","event_action":"trigger","dedup_key":"both-regions",
               "payload":{"summary":"Posted to both regions","source":"db-1","severity":"critical","timestamp":"2026-11-27T08:00:00Z"}}"""))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).isEqualTo(202);
    }

    // And another one only to region B
    HttpResponse<String> onlyB = http.send(HttpRequest.newBuilder(URI.create(b.gateway() + "/v1/integrations/pagerduty"))
        .header("Authorization", "Bearer " + up.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"routing_key":"demo","event_action":"trigger","dedup_key":"only-b",
             "payload":{"summary":"Ingested in region B","source":"db-2","severity":"error"}}"""))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(onlyB.statusCode()).isEqualTo(202);

    // Then region A lists what region B ingested, through MirrorMaker
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(http.send(HttpRequest.newBuilder(URI.create(a.query() + "/v1/incidents"))
            .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
            .contains("Ingested in region B"));
    // and each region's query API lists the one posted to both, once
    for (var region : java.util.List.of(a, b)) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        HttpResponse<String> incidents = http.send(HttpRequest.newBuilder(URI.create(region.query() + "/v1/incidents"))
            .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(incidents.body()).contains("Posted to both regions");
        assertThat(incidents.body().split("Posted to both regions", -1)).as(incidents.body()).hasSize(2);
      });
    }
    // and the database holds one row for it: both regions' writers stored the same event id
    try (var c = two.database().dataSource().getConnection(); var st = c.createStatement();
         var rs = st.executeQuery("SELECT count(*) FROM incident_event")) {
      rs.next();
      assertThat(rs.getLong(1)).as("one row for the event posted twice, one for region B's").isEqualTo(2);
    }
    assertThat(two.banner()).contains("region A", "region B", a.gateway(), b.query(), "30 ms");
  }
}
