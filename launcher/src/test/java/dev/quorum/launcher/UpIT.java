package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.export.cli.ExportCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private Up up;

  @AfterEach
  void stop() {
    if (up != null) up.shutdown();
  }

  @Test
  void up_runs_the_whole_pipeline_so_a_webhook_becomes_an_incident_in_the_views(@TempDir Path exportDir) throws Exception {
    // Given the whole pipeline in this JVM, on free ports
    up = new Up(new PrintStream(output, true, StandardCharsets.UTF_8));
    new CommandLine(up).parseArgs("--gateway-port", "0", "--gateway-ops-port", "0", "--writer-port", "0", "--projection-port", "0",
        "--partitions", "2");
    up.start();

    // When PagerDuty triggers an incident through the gateway
    HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(up.gatewayUrl() + "/v1/integrations/pagerduty"))
        .header("Authorization", "Bearer " + up.token())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"routing_key":"demo","event_action":"trigger","dedup_key":"disk-full",
             "payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical"}}"""))
        .build(), HttpResponse.BodyHandlers.ofString());

    // Then it was accepted, and the projection lists it as a triggered incident
    assertThat(accepted.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      HttpResponse<String> incidents = http.send(HttpRequest.newBuilder(URI.create(up.projectionUrl() + "/v1/incidents"))
          .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(incidents.statusCode()).isEqualTo(200);
      assertThat(incidents.body()).contains("Disk full on db-1").containsIgnoringCase("triggered");
    });
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("starting Kafka", "starting the projection");
    assertThat(up.gatewayUrl()).startsWith("http://127.0.0.1:");

    // And the demo's storm goes through the real integrations and shows in the views, redeliveries once
    ByteArrayOutputStream demoOutput = new ByteArrayOutputStream();
    Demo demo = new Demo(new PrintStream(demoOutput, true, StandardCharsets.UTF_8));
    new CommandLine(demo).parseArgs("--gateway", up.gatewayUrl(), "--projection", up.projectionUrl(), "--token", up.token());
    UUID storm = demo.storm();
    assertThat(demo.report(storm)).as(demoOutput.toString(StandardCharsets.UTF_8)).isTrue();
    String printed = demoOutput.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("Incidents", "CheckoutErrors", "Disk 95% full on db-1", "Timeline of " + storm, "MTTA / MTTR", "checkout");
    String timeline = printed.substring(printed.indexOf("Timeline of"), printed.indexOf("MTTA / MTTR"));
    assertThat(timeline.lines().filter(l -> l.contains("note.added"))).as("four notes, each once").hasSize(4);
    assertThat(timeline.lines().filter(l -> l.contains("incident.acknowledged"))).as("two acks, each once").hasSize(2);

    // And `quorum export`, finding up's database, writes the storm as the views count it
    exportMatchesTheViews(exportDir);

    // And stopping removes what up created
    up.shutdown();
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("the data is removed");
  }

  @Test
  void with_a_data_dir_incidents_survive_a_restart(@TempDir Path dataDir) throws Exception {
    // Given an up that keeps its data, with an incident in it
    up = new Up(new PrintStream(output, true, StandardCharsets.UTF_8));
    String[] args = {"--gateway-port", "0", "--gateway-ops-port", "0", "--writer-port", "0", "--projection-port", "0",
        "--partitions", "2", "--data-dir", dataDir.toString()};
    new CommandLine(up).parseArgs(args);
    up.start();
    HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(up.gatewayUrl() + "/v1/integrations/pagerduty"))
        .header("Authorization", "Bearer " + up.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"routing_key":"demo","event_action":"trigger","dedup_key":"kept",
             "payload":{"summary":"Kept across restarts","source":"db-2","severity":"error"}}"""))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    awaitListed("Kept across restarts");

    // When it stops and starts again on the same directory
    up.shutdown();
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("the data stays in " + dataDir);
    up = new Up(new PrintStream(output, true, StandardCharsets.UTF_8));
    new CommandLine(up).parseArgs(args);
    up.start();

    // Then the incident is still there
    awaitListed("Kept across restarts");
  }

  /**
   * Exports up's database (found through the file up writes for `quorum export`) once the views hold every event
   * of the storm, and checks the files in DuckDB against the projection: the incidents with their event counts,
   * the episodes, the timeline, and MTTA/MTTR by service and severity.
   */
  private void exportMatchesTheViews(Path dir) throws Exception {
    // The pipeline stored 20 events in 5 incidents: the PagerDuty trigger above, and the storm's CheckoutErrors
    // (3 alerts firing, 7 responder actions, a note, 3 alerts resolved), QueueBacklog (1), db-1 (trigger, ack,
    // resolve) and the cache warning (1); redeliveries stored nothing twice
    Map<String, Long> viewed = new TreeMap<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      viewed.clear();
      for (JsonNode item : json("/v1/incidents?limit=100").path("items")) {
        String id = item.path("incidentId").asText();
        viewed.put(id, json("/v1/incidents/" + id).path("events").asLong());
      }
      assertThat(viewed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
    });
    assertThat(viewed).hasSize(5);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Path announced = UpDatabase.fileOf(UpDatabase.directory(), ProcessHandle.current().pid());
    int code = ExportCommand.run(new String[] {"--out", dir.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8), () -> Optional.of(UpDatabase.read(announced)));
    assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("\"events\" : 20");

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
      for (String table : List.of("incidents", "episodes", "timeline", "analytics")) {
        sql.execute("CREATE VIEW " + table + " AS SELECT * FROM '" + dir.resolve(table + ".parquet").toString().replace("'", "''") + "'");
      }
      Map<String, Long> exported = new TreeMap<>();
      try (ResultSet rows = sql.executeQuery("SELECT incident_id, events FROM incidents")) {
        while (rows.next()) exported.put(rows.getString(1), rows.getLong(2));
      }
      assertThat(exported).isEqualTo(viewed);
      assertThat(single(sql, "SELECT count(*) FROM episodes")).isEqualTo("5");
      assertThat(single(sql, "SELECT count(*) FROM timeline")).isEqualTo("20");
      assertThat(single(sql, "SELECT count(*) FROM timeline WHERE type = 'quorum.incident.acknowledged' AND effect = 'no_effect'"))
          .as("the second acknowledgement had no effect").isEqualTo("1");
      for (JsonNode row : json("/v1/analytics/summary?by=service,severity")) {
        String where = " WHERE service = '" + row.path("service").asText().replace("'", "''") + "' AND severity = '"
            + row.path("severity").asText().replace("'", "''") + "'";
        assertThat(single(sql, "SELECT sum(episodes) || '|' || sum(acknowledged) || '|' || sum(resolved) FROM analytics" + where))
            .as(row.toString()).isEqualTo(row.path("episodes").asLong() + "|" + row.path("acknowledged").asLong() + "|"
                + row.path("resolved").asLong());
        if (row.path("meanSecondsToAcknowledge").isNumber()) {
          assertThat(Double.parseDouble(single(sql, "SELECT sum(total_seconds_to_acknowledge) / sum(acknowledged) FROM analytics" + where)))
              .as(row.toString()).isCloseTo(row.path("meanSecondsToAcknowledge").asDouble(), within(1e-6));
        }
        if (row.path("meanSecondsToResolve").isNumber()) {
          assertThat(Double.parseDouble(single(sql, "SELECT sum(total_seconds_to_resolve) / sum(resolved) FROM analytics" + where)))
              .as(row.toString()).isCloseTo(row.path("meanSecondsToResolve").asDouble(), within(1e-6));
        }
      }
    }
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(up.projectionUrl() + path))
        .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  private static String single(Statement sql, String query) throws Exception {
    try (ResultSet rows = sql.executeQuery(query)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }

  private void awaitListed(String title) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      HttpResponse<String> incidents = http.send(HttpRequest.newBuilder(URI.create(up.projectionUrl() + "/v1/incidents"))
          .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(incidents.statusCode()).isEqualTo(200);
      assertThat(incidents.body()).contains(title);
    });
  }
}
