package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.writer.config.WriterService;
import dev.quorum.writer.kafka.CrashPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer as a child JVM halted at the fixed crash points of the batch protocol, then restarted
 * with the same transactional id: the exact set holds and the committed topic is what it was, plus
 * what the restart published.
 */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterCrashIT {
  private static final Duration PROCESSED = Duration.ofSeconds(60);
  private static final String INSTANCE = "0";
  // Small batches, so that the first commits and the second halts; a dead member leaves the group in seconds.
  private static final Map<String, String> SMALL_BATCHES = Map.of(
      "writer.batch.max.rows", "10",
      "kafka.client.session.timeout.ms", "3000",
      "kafka.client.heartbeat.interval.ms", "500");

  private final KafkaBroker kafka;
  private final PostgresDatabase database;
  private WriterHarness harness;

  @TempDir
  Path dir;

  WriterCrashIT(KafkaBroker kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
  }

  @AfterEach
  void tear_down() {
    if (harness != null) harness.close();
  }

  @Test
  void a_writer_halted_after_the_database_commit_and_before_the_kafka_commit_is_restarted_without_loss_or_change()
      throws Exception {
    // Given a backlog of events, re-deliveries and poison records, and a writer JVM armed to halt
    // after the database commit of its second batch
    harness = new WriterHarness(kafka, database, 2);
    produceBacklog();

    // When it runs and halts there
    halt(CrashPoint.AFTER_DB_COMMIT);

    // Then the halted batch is stored but not published, and its offsets were not committed
    Set<UUID> published = ids(harness.readCommitted(harness.committed));
    Set<UUID> stored = harness.stored().stream().map(Event::id).collect(Collectors.toSet());
    assertThat(stored).containsAll(published);
    assertThat(stored.size()).isGreaterThan(published.size());
    assertThat(harness.readUncommitted(harness.committed)).hasSameSizeAs(harness.readCommitted(harness.committed));

    // When an instance with the same transactional id takes over, Then nothing is lost, doubled or changed
    restartAndVerify();
  }

  @Test
  void a_writer_halted_inside_its_kafka_transaction_is_restarted_without_loss_or_change() throws Exception {
    // Given the same backlog, and a writer JVM armed to halt inside the Kafka transaction of its second batch
    harness = new WriterHarness(kafka, database, 2);
    produceBacklog();

    // When it runs and halts there
    halt(CrashPoint.IN_KAFKA_TRANSACTION);

    // Then the halted transaction's records are in the log but invisible to read_committed readers
    int visible = harness.readCommitted(harness.committed).size();
    assertThat(harness.readUncommitted(harness.committed).size()).isGreaterThan(visible);
    assertThat(harness.stored().size()).isGreaterThan(ids(harness.readCommitted(harness.committed)).size());

    // When an instance with the same transactional id takes over, Then nothing is lost, doubled or changed
    restartAndVerify();
  }

  @Test
  void a_writer_halted_inside_its_kafka_transaction_after_the_next_batch_was_stored_is_restarted_without_loss_or_change()
      throws Exception {
    // Given the same backlog, and a writer JVM armed to halt inside the Kafka transaction of its second
    // batch once the third batch's database transaction (which overlaps it) has committed
    harness = new WriterHarness(kafka, database, 2);
    produceBacklog();

    // When it runs and halts there
    halt(CrashPoint.IN_KAFKA_TRANSACTION_NEXT_STORED);

    // Then two batches are stored beyond what read_committed readers see, and none of them is visible
    Set<UUID> published = ids(harness.readCommitted(harness.committed));
    Set<UUID> stored = harness.stored().stream().map(Event::id).collect(Collectors.toSet());
    assertThat(stored).containsAll(published);
    assertThat(harness.readUncommitted(harness.committed).size())
        .isGreaterThan(harness.readCommitted(harness.committed).size());
    Set<UUID> inOpenTransaction = ids(harness.readUncommitted(harness.committed));
    inOpenTransaction.removeAll(published);
    Set<UUID> storedUnpublished = new java.util.HashSet<>(stored);
    storedUnpublished.removeAll(published);
    assertThat(storedUnpublished).as("the next batch is stored too").hasSizeGreaterThan(inOpenTransaction.size());

    // When an instance with the same transactional id takes over, Then nothing is lost, doubled or changed
    restartAndVerify();
  }

  /** 40 events over 8 incidents, some delivered twice, one conflicting reuse of an id, one bad record. */
  private void produceBacklog() {
    List<UUID> incidents = new ArrayList<>();
    for (int i = 0; i < 8; i++) incidents.add(UUID.randomUUID());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) events.add(TestEvents.note(incidents.get(i % incidents.size()), "n" + i));
    for (int i = 0; i < 40; i++) {
      harness.send(events.get(i));
      if (i % 9 == 0) harness.send(events.get(i / 2));
      if (i == 17) harness.send(TestEvents.withText(events.get(3), "changed"));
      if (i == 23) harness.send(incidents.get(1).toString(), "{\"specversion\":".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Runs the writer in a child JVM armed at {@code point} for its second batch and waits for the halt. */
  private void halt(CrashPoint point) throws Exception {
    Path log = dir.resolve("writer-" + point.value() + ".log");
    Process child = harness.launchChild(INSTANCE, SMALL_BATCHES,
        Map.of(CrashPoint.PROPERTY, point.value(), CrashPoint.AFTER_BATCHES_PROPERTY, "1"), log);
    boolean exited = child.waitFor(PROCESSED.toSeconds(), TimeUnit.SECONDS);
    assertThat(exited).as(() -> "the writer JVM did not halt:\n" + read(log)).isTrue();
    assertThat(child.exitValue()).as(() -> "exit status of the writer JVM:\n" + read(log))
        .isEqualTo(CrashPoint.HALT_STATUS);
    assertThat(harness.groupOffsets()).as("the first batch committed its offsets").isNotEmpty();
  }

  private void restartAndVerify() {
    List<ConsumerRecord<byte[], byte[]>> committedBefore = harness.readCommitted(harness.committed);
    List<ConsumerRecord<byte[], byte[]>> dlqBefore = harness.readCommitted(harness.dlq);

    WriterService successor = harness.startWriter(INSTANCE, SMALL_BATCHES);
    harness.awaitAllProcessed(PROCESSED);

    assertThat(successor.writer().stats().batchesCommitted()).isPositive();
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(40);
    assertThat(summary.deadLetterReasons()).containsValues("conflicting-duplicate", "malformed-envelope").hasSize(2);
    List<ConsumerRecord<byte[], byte[]>> committedAfter = harness.readCommitted(harness.committed);
    ExactSet.assertStillThere(committedBefore, committedAfter);
    ExactSet.assertStillThere(dlqBefore, harness.readCommitted(harness.dlq));
    ExactSet.assertOneVersionPerId(harness, committedAfter);
  }

  private static Set<UUID> ids(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> EventCodec.decode(r.value()).id()).collect(Collectors.toSet());
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
