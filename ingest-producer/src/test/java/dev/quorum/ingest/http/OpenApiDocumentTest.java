package dev.quorum.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.event.Topics;
import dev.quorum.ingest.kafka.QuorumPublisher;
import dev.quorum.ingest.slack.ChannelBindings;
import dev.quorum.kit.http.BearerAuth;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpenApiDocumentTest {
  /** What the service's HTTP server adds to every service. */
  private static final List<String> OPS_ROUTES = List.of("get /metrics", "get /healthz", "get /readyz");

  @Test
  void every_route_the_gateway_registers_is_in_the_openapi_document() throws IOException {
    // Given the routes as the gateway registers them on a server
    List<String> registered = new ArrayList<>();
    Javalin app = Javalin.create(config -> config.events.handlerAdded(info -> {
      if (info.getHttpMethod().isHttpMethod()) {
        registered.add(info.getHttpMethod().name().toLowerCase(Locale.ROOT) + " " + info.getPath());
      }
    }));
    GatewayRoutes routes = routes();
    routes.register(app);
    routes.registerOps(app);
    registered.addAll(OPS_ROUTES);

    // When the served document is read
    JsonNode paths = new ObjectMapper().readTree(GatewayRoutes.openApiDocument()).get("paths");

    // Then each route has an operation in it
    assertThat(registered).hasSizeGreaterThanOrEqualTo(8);
    for (String route : registered) {
      String[] methodAndPath = route.split(" ");
      assertThat(paths.path(methodAndPath[1]).has(methodAndPath[0])).as("%s is documented", route).isTrue();
    }
  }

  @Test
  void the_served_document_is_the_one_kept_in_the_repository() throws IOException {
    byte[] kept = Files.readAllBytes(Path.of("src/main/resources", GatewayRoutes.OPENAPI_RESOURCE));
    assertThat(GatewayRoutes.openApiDocument()).isEqualTo(kept);
    assertThat(new ObjectMapper().readTree(kept).get("openapi").asText()).startsWith("3.1");
  }

  private static GatewayRoutes routes() {
    QuorumPublisher publisher = new QuorumPublisher(
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()), Topics.ACTIONS);
    GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
    Delivery delivery = new Delivery(publisher, Duration.ofSeconds(1), Duration.ofSeconds(1),
        Delivery.breaker(2, Duration.ofSeconds(1)), metrics, Executors.newVirtualThreadPerTaskExecutor());
    return new GatewayRoutes(new GatewayRoutes.Settings(10, null, Duration.ofSeconds(2)), BearerAuth.parse(""), delivery,
        ChannelBindings.inMemory(), metrics, Clock.systemUTC());
  }
}
