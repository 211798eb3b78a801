package dev.quorum.launcher;

import static dev.quorum.launcher.WarRoomBrowser.live;
import static dev.quorum.launcher.WarRoomBrowser.requireChromium;
import static dev.quorum.launcher.WarRoomBrowser.signIn;
import static dev.quorum.launcher.WarRoomBrowser.text;
import static dev.quorum.launcher.WarRoomBrowser.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import picocli.CommandLine;

/**
 * The war room with 1,000 open incidents and a 10,000-event timeline, in headless Chromium, timed. Not part
 * of the build (its name is no *IT); run it with
 * {@code ./mvnw -B -pl launcher -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=WarRoomScaleCheck}
 * and read the times it prints (the war room README keeps the last ones).
 */
class WarRoomScaleCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String[] SEVERITIES = {"critical", "error", "warning", "info"};

  @Test
  void the_board_and_a_long_timeline_stay_responsive() throws Exception {
    requireChromium();
    Up up = new Up(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    new CommandLine(up).parseArgs("--gateway-port", "0", "--gateway-ops-port", "0", "--writer-port", "0", "--projection-port", "0",
        "--war-room-port", "0", "--partitions", "3", "--responders", "alice");
    ChromeDriver browser = null;
    try {
      up.start();
      // 1,000 open incidents over 20 services, and one incident with 10,000 notes
      for (int batch = 0; batch < 10; batch++) {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < 100; i++) {
          int n = batch * 100 + i;
          events.add(event(UUID.randomUUID(), "quorum.incident.triggered", JSON.createObjectNode()
              .put("title", "Incident " + n).put("service", "service-" + (n % 20)).put("severity", SEVERITIES[n % 4])));
        }
        publish(up, events);
      }
      UUID big = UUID.randomUUID();
      publish(up, JSON.createArrayNode().add(event(big, "quorum.incident.triggered", JSON.createObjectNode()
          .put("title", "The long one").put("service", "checkout").put("severity", "critical"))));
      for (int batch = 0; batch < 100; batch++) {
        ArrayNode notes = JSON.createArrayNode();
        for (int i = 0; i < 100; i++) notes.add(event(big, "quorum.note.added", JSON.createObjectNode().put("text", "note " + (batch * 100 + i))));
        publish(up, notes);
      }
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
          read(up, "/v1/incidents/" + big).path("events").asLong() == 10_001
              && read(up, "/v1/incidents?status=triggered&limit=1000").path("items").size() == 1_000);

      browser = WarRoomBrowser.open();
      signIn(browser, up, "alice");
      long start = System.nanoTime();
      browser.get(up.warRoomUrl() + "/");
      until(browser, d -> rows(d) >= 200 ? true : null);
      long firstPage = System.nanoTime() - start;
      live(browser);
      start = System.nanoTime();
      while (rows(browser) < 1_001) {
        int before = rows(browser);
        browser.findElement(By.id("more")).click();
        until(browser, d -> rows(d) > before ? true : null);
      }
      long allPages = System.nanoTime() - start;
      start = System.nanoTime();
      publish(up, JSON.createArrayNode().add(event(UUID.randomUUID(), "quorum.incident.triggered", JSON.createObjectNode()
          .put("title", "One more").put("service", "checkout").put("severity", "critical"))));
      until(browser, d -> d.findElements(By.linkText("One more")).isEmpty() ? null : true);
      long liveRow = System.nanoTime() - start;

      start = System.nanoTime();
      browser.get(up.warRoomUrl() + "/incident?id=" + big);
      until(browser, d -> ((Number) ((JavascriptExecutor) d).executeScript(
          "return document.querySelectorAll('#entries tr').length;")).intValue() == 200 ? true : null);
      long timelinePage = System.nanoTime() - start;
      live(browser);
      start = System.nanoTime();
      browser.findElement(By.id("note-text")).sendKeys("one more note");
      browser.findElement(By.id("act-note")).click();
      until(browser, d -> text(d, "state").contains("10002 (") ? true : null);
      long liveNote = System.nanoTime() - start;

      System.out.printf("""
          war room at scale (%s, %d processors):
            board, first 200 of 1,000 open incidents shown      %5d ms
            board, the other 800 by "Load more" (4 pages)        %5d ms
            board with 1,001 rows, a new incident shown live     %5d ms
            incident with 10,001 events, first 200 shown        %5d ms
            a note added there, the page's count updated         %5d ms
          """, Instant.now(), Runtime.getRuntime().availableProcessors(), firstPage / 1_000_000, allPages / 1_000_000,
          liveRow / 1_000_000, timelinePage / 1_000_000, liveNote / 1_000_000);
    } finally {
      if (browser != null) browser.quit();
      up.shutdown();
    }
  }

  /** The board's rows, counted in the page (asking the driver for a thousand elements costs more than the page does). */
  private static int rows(WebDriver driver) {
    return ((Number) ((JavascriptExecutor) driver).executeScript("return document.querySelectorAll('#rows tr').length;")).intValue();
  }

  private static ObjectNode event(UUID incident, String type, ObjectNode data) {
    return JSON.createObjectNode().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("type", type)
        .put("subject", incident.toString()).put("time", Instant.now().toString()).put("datacontenttype", "application/json")
        .set("data", data);
  }

  private static void publish(Up up, ArrayNode events) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(up.gatewayUrl() + "/v1/events"))
        .header("Authorization", "Bearer " + up.token()).header("Content-Type", "application/cloudevents-batch+json")
        .POST(HttpRequest.BodyPublishers.ofString(events.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
  }

  private static JsonNode read(Up up, String path) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(up.projectionUrl() + path))
        .header("Authorization", "Bearer " + up.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
  }
}
