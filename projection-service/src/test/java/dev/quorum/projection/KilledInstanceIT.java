package dev.quorum.projection;

import static dev.quorum.event.testing.Catalogue.fired;
import static dev.quorum.event.testing.Catalogue.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quorum.event.Event;
import dev.quorum.event.testing.History;
import dev.quorum.projection.config.ProjectionService;
import dev.quorum.projection.kafka.ProjectionTopology.TopicNames;
import dev.quorum.projection.testing.Api;
import dev.quorum.projection.testing.Record;
import dev.quorum.projection.testing.TestProjection;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An instance in a child JVM is killed (SIGKILL: no close, no commit, no leaving the group) under load,
 * while readers ask the survivor: none sees a 404 for an incident that exists or a partial list.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KilledInstanceIT {
  private static final int INCIDENTS = 12;

  @Test
  void readers_of_the_survivor_see_no_false_404_and_no_partial_list_while_it_takes_over(
      KafkaBroker broker, PostgresDatabase database) throws Exception {
    // Given: one instance in a child JVM and one here, sharing twelve incidents
    TopicNames topics = TestProjection.topics("killed-it");
    String service = "killed-" + UUID.randomUUID();
    Process child = startChild(settings(broker, database, topics));
    ProjectionService survivor = TestProjection.start(settings(broker, database, topics));
    AtomicBoolean reading = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger unavailable = new AtomicInteger();
    List<Thread> readers = new ArrayList<>();
    try (Record record = new Record(database, broker)) {
      Api api = new Api(survivor.address());
      List<UUID> incidents = new ArrayList<>();
      List<History> histories = new ArrayList<>();
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < INCIDENTS; i++) {
        History history = History.random();
        history.add(new dev.quorum.event.EventData.AlertFired("fp", "Killed instance " + i, service, null, Map.of()));
        histories.add(history);
        incidents.add(history.incidentId());
        events.addAll(history.events());
      }
      record.storeAndPublish(topics.committed(), events);
      Set<String> owners = new HashSet<>();
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        owners.clear();
        for (UUID id : incidents) {
          Api.Answer answer = api.get("/v1/incidents/" + id);
          if (answer.status() != 200) return false;
          owners.add(answer.servedBy());
        }
        return owners.size() == 2; // both instances own some
      });

      // When: readers ask the survivor for every incident and the list, while events keep coming
      for (int r = 0; r < 2; r++) {
        Thread reader = new Thread(() -> {
          while (reading.get()) {
            for (UUID id : incidents) {
              Api.Answer one = api.get("/v1/incidents/" + id);
              if (one.status() == 503) unavailable.incrementAndGet();
              if (one.status() == 404 || (one.status() != 200 && one.status() != 503)) {
                wrong.add("GET incident " + id + ": " + one.status() + " " + one.text());
              }
              Api.Answer list = api.get("/v1/incidents?limit=100&service=" + service);
              if (list.status() == 200 && list.json().get("items").size() != INCIDENTS) {
                wrong.add("a list of " + list.json().get("items").size() + " incidents");
              } else if (list.status() != 200 && list.status() != 503) {
                wrong.add("GET list: " + list.status() + " " + list.text());
              }
              answered.incrementAndGet();
            }
          }
        }, "reader-" + r);
        reader.start();
        readers.add(reader);
      }
      for (int round = 0; round < 3; round++) {
        List<Event> more = new ArrayList<>();
        for (History history : histories) more.add(history.add(note("round " + round)));
        record.storeAndPublish(topics.committed(), more);
      }
      child.destroyForcibly().waitFor();
      for (History history : histories) record.storeAndPublish(topics.committed(), List.of(history.add(note("after"))));

      // Then: the survivor answers for every incident with every event, and no reader saw a wrong answer
      await().atMost(Duration.ofSeconds(90)).until(() -> incidents.stream().allMatch(id -> {
        Api.Answer answer = api.get("/v1/incidents/" + id);
        return answer.status() == 200 && answer.json().get("events").asInt() == 5;
      }));
      int before = answered.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() > before + 2 * INCIDENTS);
      reading.set(false);
      for (Thread reader : readers) reader.join(30_000);
      assertThat(wrong).isEmpty();
      assertThat(unavailable.get()).describedAs("readers asked while the partitions moved").isPositive();
    } finally {
      reading.set(false);
      child.destroyForcibly();
      survivor.close();
    }
  }

  /**
   * One instance's settings (a state directory of its own) with a long commit interval: what the child
   * applies and shows in its last seconds is not committed when it dies, and the survivor must apply it
   * again before it answers for those partitions.
   */
  private static Map<String, String> settings(KafkaBroker broker, PostgresDatabase database, TopicNames topics) {
    Map<String, String> settings = new HashMap<>(TestProjection.settings(broker, database, "killed-it", topics));
    settings.put("projection.commit.interval.ms", "5000");
    return settings;
  }

  /** The projection's command line in a JVM of its own, on this test's class path. */
  private static Process startChild(Map<String, String> settings) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "killed-it"));
    Path config = dir.resolve("child-" + ProcessHandle.current().pid() + ".properties");
    Properties properties = new Properties();
    properties.putAll(settings);
    try (Writer out = Files.newBufferedWriter(config)) {
      properties.store(out, "the killed instance");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"),
        "dev.quorum.projection.cli.ProjectionCli", "--config", config.toAbsolutePath().toString(), "run")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child-" + ProcessHandle.current().pid() + ".log").toFile())
        .start();
  }
}
