package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.quorum.launcher.WarRoomBrowser.focus;
import static dev.quorum.launcher.WarRoomBrowser.live;
import static dev.quorum.launcher.WarRoomBrowser.requireChromium;
import static dev.quorum.launcher.WarRoomBrowser.screenshot;
import static dev.quorum.launcher.WarRoomBrowser.signIn;
import static dev.quorum.launcher.WarRoomBrowser.text;
import static dev.quorum.launcher.WarRoomBrowser.until;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import picocli.CommandLine;

/**
 * The war room in a real browser (headless Chromium from Debian's {@code chromium} and
 * {@code chromium-driver}) against the whole pipeline as {@code quorum up} runs it: the board updates
 * without a reload, two responders acting at once both see both actions in the same order, the slider shows
 * the past on both axes, and the keyboard alone reaches every action. Screenshots go to
 * {@code target/screenshots/}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarRoomBrowserIT {
  private static final String TITLE = "Checkout latency over 2 s";

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Up up;
  private static ChromeDriver alice;
  private static ChromeDriver bob;
  /** The incident the tests share, found on the board by the first. */
  private static String incidentUrl;

  @BeforeAll
  static void start() throws Exception {
    requireChromium();
    up = new Up(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    new CommandLine(up).parseArgs("--gateway-port", "0", "--gateway-ops-port", "0", "--writer-port", "0", "--projection-port", "0",
        "--war-room-port", "0", "--partitions", "2", "--responders", "alice,bob");
    up.start();
    alice = WarRoomBrowser.open();
    bob = WarRoomBrowser.open();
  }

  @AfterAll
  static void stop() {
    for (WebDriver driver : new WebDriver[] {alice, bob}) {
      if (driver != null) driver.quit();
    }
    if (up != null) up.shutdown();
  }

  @Test
  @Order(1)
  void an_incident_published_through_the_gateway_appears_on_the_board_without_a_reload() throws Exception {
    // Given alice signed in and looking at the board, with the live stream connected
    signIn(alice, up, "alice");
    live(alice);
    ((JavascriptExecutor) alice).executeScript("window.notReloaded = true;");

    // When PagerDuty triggers incidents through the gateway
    trigger("checkout-latency", TITLE, "checkout", "critical");
    trigger("disk-db-1", "Disk 91% full on db-1", "postgres", "warning");
    trigger("payments-5xx", "Payments answering 5xx", "payments", "error");

    // Then they appear on the board, this one triggered and critical, in the same page (no reload)
    incidentUrl = until(alice, d -> {
      List<WebElement> links = d.findElements(By.linkText(TITLE));
      if (links.isEmpty()) return null;
      WebElement row = links.get(0).findElement(By.xpath("./ancestor::tr"));
      boolean shown = "triggered".equals(row.getAttribute("data-status")) && row.getText().contains("critical")
          && row.getText().contains("not yet");
      return shown ? links.get(0).getAttribute("href") : null;
    });
    until(alice, d -> d.findElements(By.cssSelector("#rows tr")).size() == 3 ? true : null);
    assertThat(((JavascriptExecutor) alice).executeScript("return window.notReloaded === true;")).isEqualTo(true);
    screenshot(alice, "board", 700);
  }

  @Test
  @Order(2)
  void two_responders_acting_at_once_both_see_both_actions_in_the_same_order() throws Exception {
    // Given alice and bob on the incident page, both live
    signIn(bob, up, "bob");
    for (ChromeDriver driver : List.of(alice, bob)) {
      driver.get(incidentUrl);
      live(driver);
      until(driver, d -> d.findElements(By.cssSelector("#entries tr")).size() >= 1 ? true : null);
    }

    // When both acknowledge and add a note at the same moment
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> acting = new ArrayList<>();
    for (ChromeDriver driver : List.of(alice, bob)) {
      String who = driver == alice ? "alice" : "bob";
      acting.add(CompletableFuture.runAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        driver.findElement(By.id("note-text")).sendKeys("rolling back, says " + who);
        ((JavascriptExecutor) driver).executeScript("window.clickedAt = Date.now();"
            + "document.getElementById('act-acknowledge').click(); document.getElementById('act-note').click();");
      }));
    }
    go.countDown();
    CompletableFuture.allOf(acting.toArray(CompletableFuture[]::new)).get();

    // Then each page shows the trigger, both acknowledgements (the later one without effect) and both notes,
    // with each responder as the actor, in the same order on both pages
    List<List<String>> orders = new ArrayList<>();
    for (ChromeDriver driver : List.of(alice, bob)) {
      // one snapshot of the timeline, taken at once: the page redraws it as updates arrive
      List<List<String>> rows = until(driver, d -> {
        List<List<String>> now = timeline(d);
        return now.size() == 5 && "acknowledged".equals(text(d, "state-status")) ? now : null;
      });
      String all = rows.stream().map(r -> r.get(3)).reduce("", String::concat);
      assertThat(all).contains("rolling back, says alice", "rolling back, says bob", "user:alice", "user:bob");
      assertThat(rows.stream().filter(r -> r.get(1).equals("quorum.incident.acknowledged"))).hasSize(2);
      assertThat(rows.stream().filter(r -> r.get(2).contains("no-effect")))
          .singleElement().satisfies(r -> assertThat(r.get(3)).contains("no effect"));
      orders.add(rows.stream().map(r -> r.get(0)).toList());
    }
    assertThat(orders.get(0)).hasSize(5).isEqualTo(orders.get(1));
    // reported, not asserted (a loaded machine is slower): from the first click to the last of the four
    // actions shown on either page, by the pages' own clock (both browsers run on this machine)
    long firstClick = Long.MAX_VALUE;
    long lastShown = 0;
    for (ChromeDriver driver : List.of(alice, bob)) {
      firstClick = Math.min(firstClick, ((Number) ((JavascriptExecutor) driver).executeScript("return window.clickedAt;")).longValue());
      for (Object seen : (List<?>) ((JavascriptExecutor) driver).executeScript(
          "return Array.from(document.querySelectorAll('#entries tr')).slice(1).map(r => Number(r.dataset.firstSeen));")) {
        lastShown = Math.max(lastShown, ((Number) seen).longValue());
      }
    }
    System.out.printf("war room: both pages showed all four actions %d ms after the first click%n", lastShown - firstClick);
    screenshot(alice, "incident", 1900);
  }

  @Test
  @Order(3)
  void the_slider_shows_the_earlier_state_on_both_axes_and_the_url_holds_it() throws Exception {
    // Given alice on the acknowledged incident
    alice.get(incidentUrl);
    until(alice, d -> "acknowledged".equals(text(d, "state-status")) ? true : null);
    until(alice, d -> d.findElements(By.cssSelector("#entries tr")).size() >= 5 ? true : null);

    for (String axis : List.of("recorded", "occurred")) {
      // When she picks the axis and drags the slider to its start (the first event on that axis)
      alice.findElement(By.id("axis-" + axis)).click();
      if (axis.equals("occurred")) {
        // the page reloads on the new axis first, and the slider's start moves to the first occurred time
        until(alice, d -> text(d, "message").endsWith("(occurred).") ? true : null);
      }
      String before = alice.getCurrentUrl();
      alice.findElement(By.id("slider")).sendKeys(Keys.HOME);
      until(alice, d -> d.getCurrentUrl().equals(before) ? null : true);

      // Then the page shows the incident as it stood then: triggered, only the trigger in the timeline,
      // and the URL names the instant and the axis
      until(alice, d -> d.getCurrentUrl().contains("axis=" + axis) && "triggered".equals(text(d, "state-status"))
          && text(d, "asof-banner").contains(asOfInUrl(d)) ? true : null);
      until(alice, d -> d.findElements(By.cssSelector("#entries tr")).size() == 1 ? true : null);
      assertThat(alice.findElement(By.id("asof-banner")).getText()).contains("by " + axis + " time");
      assertThat(alice.findElement(By.id("slider-value")).getText()).isEqualTo(asOfInUrl(alice));
      assertThat(alice.getCurrentUrl()).contains("asOf=");
      assertThat(alice.findElement(By.id("act-acknowledge")).isEnabled()).isFalse();
    }
    screenshot(alice, "slider", 1250);

    // And the URL pasted into another browser shows the same past
    bob.get(alice.getCurrentUrl());
    until(bob, d -> "triggered".equals(text(d, "state-status")) ? true : null);
    assertThat(bob.findElement(By.id("asof-banner")).getText()).contains("by occurred time");
  }

  @Test
  @Order(4)
  void the_keyboard_alone_reaches_every_action_and_acts() {
    // Given bob on the live incident page
    bob.get(incidentUrl);
    live(bob);
    until(bob, d -> "acknowledged".equals(text(d, "state-status")) ? true : null);

    // When he presses Tab through the page
    Set<String> reached = new HashSet<>();
    bob.findElement(By.tagName("body")).click();
    for (int i = 0; i < 80; i++) {
      new Actions(bob).sendKeys(Keys.TAB).perform();
      Object id = ((JavascriptExecutor) bob).executeScript("return document.activeElement && document.activeElement.id;");
      if (id != null) reached.add(id.toString());
    }

    // Then every action's control was reached
    assertThat(reached).contains("sign-out", "slider", "instant", "go", "now", "act-acknowledge", "act-mitigate", "act-resolve",
        "act-reopen", "note-text", "act-note", "assign-responder", "act-assign", "role", "act-role", "new-severity",
        "act-severity", "followup-title", "followup-owner", "act-followup");

    // And with the keyboard alone he takes the commander role, adds a follow-up and completes it
    focus(bob, "role");
    new Actions(bob).sendKeys(Keys.TAB).sendKeys(Keys.ENTER).perform();
    until(bob, d -> d.findElement(By.id("roles")).getText().contains("user:bob") ? true : null);
    focus(bob, "followup-title");
    new Actions(bob).sendKeys("Add a latency alert on checkout").sendKeys(Keys.ENTER).perform();
    until(bob, d -> d.findElements(By.cssSelector("#followups button.complete")).isEmpty() ? null : true);
    // the follow-up's button keeps the focus when the list is drawn again
    ((JavascriptExecutor) bob).executeScript("document.querySelector('#followups button.complete').focus();");
    new Actions(bob).sendKeys(Keys.ENTER).perform();
    until(bob, d -> d.findElements(By.cssSelector("#followups s")).size() == 1
        && text(d, "followups").contains("Add a latency alert on checkout — done") ? true : null);
  }

  @Test
  @Order(5)
  void analytics_draws_mtta_and_mttr_per_service_as_charts() throws Exception {
    // Given the acknowledged checkout incident
    // When alice opens the analytics
    alice.get(up.warRoomUrl() + "/analytics");

    // Then the MTTA chart has a point for checkout, and the table the same numbers
    until(alice, d -> d.findElements(By.cssSelector("#mtta-chart svg circle")).isEmpty() ? null : true);
    until(alice, d -> text(d, "mtta-chart").contains("checkout")
        && d.findElement(By.cssSelector("#mtta-chart svg")).getAttribute("aria-label").contains("checkout")
        && text(d, "number-rows").contains("critical") ? true : null);
    screenshot(alice, "analytics", 1000);
  }

  // ------------------------------------------------------------------ helpers

  /** Each timeline row as [event id, type, class, text], read in one go. */
  @SuppressWarnings("unchecked")
  private static List<List<String>> timeline(WebDriver driver) {
    return (List<List<String>>) ((JavascriptExecutor) driver).executeScript(
        "return Array.from(document.querySelectorAll('#entries tr'))"
            + ".map(r => [r.dataset.eventId, r.dataset.type, r.className, r.innerText]);");
  }

  private static String asOfInUrl(WebDriver driver) {
    String url = driver.getCurrentUrl();
    int at = url.indexOf("asOf=");
    if (at < 0) return "\u0000"; // never in a banner
    int end = url.indexOf('&', at);
    return java.net.URLDecoder.decode(url.substring(at + 5, end < 0 ? url.length() : end), StandardCharsets.UTF_8);
  }

  private static void trigger(String dedupKey, String summary, String source, String severity) throws Exception {
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(up.gatewayUrl() + "/v1/integrations/pagerduty"))
        .header("Authorization", "Bearer " + up.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"routing_key":"demo","event_action":"trigger","dedup_key":"%s",
             "payload":{"summary":"%s","source":"%s","severity":"%s"}}""".formatted(dedupKey, summary, source, severity)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
  }

}
