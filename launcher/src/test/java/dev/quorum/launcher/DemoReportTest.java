package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code quorum demo}'s wait for the projection, against a stand-in query API. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DemoReportTest {
  private final UUID checkout = UUID.randomUUID();
  private final AtomicInteger timelineAsks = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  @Test
  void an_incident_the_projection_does_not_hold_yet_is_waited_for_not_a_failure() throws IOException, Exception {
    // Given a query API that answers 404 for the checkout incident's timeline twice, then shows the storm
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/incidents", exchange -> {
      String path = exchange.getRequestURI().getPath();
      int status = 200;
      String body;
      if (path.endsWith("/timeline")) {
        if (timelineAsks.incrementAndGet() <= 2) {
          status = 404;
          body = "{\"status\":404,\"detail\":\"no incident " + checkout + "\"}";
        } else {
          StringBuilder entries = new StringBuilder();
          for (int i = 0; i < 14; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"type\":\"quorum.note.added\",\"actor\":\"user:alice\","
                + "\"effect\":\"applied\",\"ingestedAt\":\"2026-11-27T10:00:00.000Z\"}");
          }
          body = "{\"entries\":[" + entries + "]}";
        }
      } else {
        body = "{\"items\":[{\"incidentId\":\"" + checkout + "\",\"episode\":1,\"status\":\"resolved\","
            + "\"severity\":\"critical\",\"service\":\"checkout\",\"title\":\"CheckoutErrors\"}]}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.createContext("/v1/analytics/summary", exchange -> {
      byte[] bytes = "[{\"service\":\"checkout\",\"severity\":\"critical\",\"episodes\":1,\"acknowledged\":1,\"resolved\":1}]"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Demo demo = new Demo(new PrintStream(output, true, StandardCharsets.UTF_8));
    new CommandLine(demo).parseArgs("--token", "t", "--projection", "http://127.0.0.1:" + server.getAddress().getPort(),
        "--wait", "20s");

    // When the demo waits for the projection
    boolean shown = demo.report(checkout);

    // Then it waited through the 404s and printed the storm
    assertThat(shown).isTrue();
    assertThat(timelineAsks.get()).isGreaterThanOrEqualTo(3);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("CheckoutErrors", "Timeline of " + checkout);
  }
}
