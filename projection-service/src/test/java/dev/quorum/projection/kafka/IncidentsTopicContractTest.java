package dev.quorum.projection.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.testing.Contracts;
import dev.quorum.projection.testing.Deliveries;
import dev.quorum.projection.testing.Deliveries.Delivery;
import dev.quorum.projection.testing.ProjectionDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.Stores;

/** Every value the projection writes to quorum.incidents.v1 conforms to incident-view.json, and a wrong one does not. */
class IncidentsTopicContractTest {
  private static final String SCHEMA = "incident-view.json";

  @Property(tries = 5)
  void every_incident_view_on_the_topic_conforms_to_its_schema(@ForAll("deliveries") List<Delivery> deliveries) throws IOException {
    // Given: several incidents' shuffled, repeated deliveries (merges, reopens, late events, follow-ups, roles)
    List<Event> arrivals = new ArrayList<>();
    deliveries.forEach(d -> arrivals.addAll(d.arrivals()));
    try (ProjectionDriver driver = new ProjectionDriver(stateDir(), Stores::inMemoryKeyValueStore)) {
      // When
      driver.publishAll(arrivals);

      // Then: keys are incidentId/episode, values conform (tombstones carry none)
      List<KeyValue<String, byte[]>> records = driver.incidentsBytes();
      assertThat(records).isNotEmpty();
      for (KeyValue<String, byte[]> record : records) {
        assertThat(record.key).matches("[0-9a-f-]{36}/[1-9][0-9]*");
        if (record.value != null) Contracts.requireValid(SCHEMA, new String(record.value, StandardCharsets.UTF_8));
      }
    }
  }

  @Example
  void a_wrong_incident_view_fails_its_schema() throws IOException {
    ObjectNode valid = aPublishedView();
    List<Consumer<ObjectNode>> wrongs = List.of(
        v -> v.put("status", "sleeping"),
        v -> v.remove("triggeredAt"),
        v -> v.put("episode", 0),
        v -> v.put("severity", "CRITICAL"),
        v -> v.put("assignees", "user:a"),
        v -> v.put("escalations", -1),
        v -> v.put("priority", "p1"),
        v -> v.put("incidentId", "not-a-uuid"));
    for (Consumer<ObjectNode> wrong : wrongs) {
      ObjectNode view = valid.deepCopy();
      wrong.accept(view);
      assertThat(Contracts.violations(SCHEMA, view.toString())).as(view.toString()).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<List<Delivery>> deliveries() {
    return Deliveries.shuffledWithRepeats().list().ofMinSize(2).ofMaxSize(6)
        .uniqueElements(d -> d.history().getFirst().incidentId());
  }

  private static ObjectNode aPublishedView() throws IOException {
    List<Event> history = Deliveries.shuffledWithRepeats().sample().history();
    try (ProjectionDriver driver = new ProjectionDriver(stateDir(), Stores::inMemoryKeyValueStore)) {
      driver.publishAll(history);
      byte[] value = driver.incidentsBytes().stream().map(r -> r.value).filter(v -> v != null).reduce((a, b) -> b)
          .orElseGet(() -> new byte[0]);
      if (value.length == 0) return aPublishedView(); // a stream whose only events opened no episode
      JsonNode view = ViewSerdes.JSON.readTree(value);
      Contracts.requireValid(SCHEMA, view.toString());
      return (ObjectNode) view;
    }
  }

  private static Path stateDir() throws IOException {
    return Files.createTempDirectory(Path.of("target"), "incidents-contract");
  }
}
