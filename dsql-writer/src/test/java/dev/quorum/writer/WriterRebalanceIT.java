package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quorum.event.Event;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.writer.config.WriterService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterRebalanceIT {
  private static final Duration STEP = Duration.ofSeconds(60);

  private final KafkaBroker kafka;
  private final PostgresDatabase database;
  private WriterHarness harness;

  WriterRebalanceIT(KafkaBroker kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
  }

  @AfterEach
  void tear_down() {
    if (harness != null) harness.close();
  }

  @Test
  void two_writers_in_one_group_with_rebalances_while_writing_give_the_exact_set() throws Exception {
    // Given a producer that keeps writing to 40 incidents on 4 partitions, re-sending some events
    harness = new WriterHarness(kafka, database, 4);
    List<UUID> incidents = new ArrayList<>();
    for (int i = 0; i < 40; i++) incidents.add(UUID.randomUUID());
    AtomicBoolean producing = new AtomicBoolean(true);
    CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> {
      List<Event> earlier = new ArrayList<>();
      int sent = 0;
      while (producing.get() && sent < 5_000) {
        List<Event> chunk = new ArrayList<>();
        for (int i = 0; i < 20; i++) chunk.add(TestEvents.note(incidents.get((sent + i) % incidents.size()), "n" + (sent + i)));
        if (!earlier.isEmpty()) chunk.add(earlier.get(sent % earlier.size()));
        harness.sendAll(chunk);
        earlier.addAll(chunk.subList(0, 20));
        sent += chunk.size();
      }
      return sent;
    });

    // When writers join and leave while it writes
    WriterService a = harness.startWriter("a");
    awaitStored(200);
    harness.startWriter("b");
    awaitStored(600);
    a.close();
    awaitStored(1_000);
    harness.startWriter("a");
    awaitStored(1_400);
    producing.set(false);
    int sent = producer.get();
    harness.awaitAllProcessed(STEP);

    // Then every event is stored once, every delivery committed once, nothing dead-lettered
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.committed()).isEqualTo(sent);
    assertThat(summary.deadLetterReasons()).isEmpty();
  }

  private void awaitStored(int events) {
    await().atMost(STEP).pollInterval(Duration.ofMillis(50)).until(() -> stored() >= events);
  }

  private int stored() {
    return Databases.count(harness.dataSource, "SELECT count(*) FROM incident_event");
  }

}
