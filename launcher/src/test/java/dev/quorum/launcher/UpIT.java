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
  void up_runs_the_whole_pipeline_so_a_webhook_becomes_an_incident_in_the_views() throws Exception {
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

  private void awaitListed(String title) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      HttpResponse<String> incidents = http.send(HttpRequest.newBuilder(URI.create(up.projectionUrl() + "/v1/incidents"))
          .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(incidents.statusCode()).isEqualTo(200);
      assertThat(incidents.body()).contains(title);
    });
  }
}
