package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.kafka.KafkaTestClients;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.writer.config.WriterService;
import dev.quorum.writer.kafka.KafkaWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The writer while its PostgreSQL server is down: at start-up, and for 20 seconds mid-stream. */
@WithKafka
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterOutageIT {
  private static final Duration PROCESSED = Duration.ofSeconds(60);
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  // A lost database is noticed in seconds: one-second connection waits, three attempts per transaction.
  private static final Map<String, String> QUICK_TO_NOTICE = Map.of(
      "db.connect.timeout", "1s",
      "db.retry.max.attempts", "3",
      "db.retry.max.backoff", "100ms",
      "writer.unavailable.backoff.initial", "200ms",
      "writer.unavailable.backoff.max", "1s");

  private final KafkaBroker kafka;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService producing = Executors.newSingleThreadScheduledExecutor();
  private WriterHarness harness;

  WriterOutageIT(KafkaBroker kafka) {
    this.kafka = kafka;
  }

  @AfterEach
  void tear_down() {
    scheduler.shutdownNow();
    producing.shutdownNow();
    if (harness != null) harness.close();
  }

  /** What the test saw just before the server came back. */
  private record DuringOutage(int readyz, int healthz, Map<TopicPartition, OffsetAndMetadata> offsets, int committed,
      double lag, KafkaWriter.State state) {}

  @Test
  void postgresql_stopped_for_20_seconds_mid_stream_pauses_the_writer_which_skips_nothing_and_resumes_by_itself(
      EmbeddedPostgres postgres) throws Exception {
    // Given a writer storing a steady stream of events
    PostgresDatabase database = postgres.newDatabase("outage_mid_stream");
    harness = new WriterHarness(kafka, database, 2);
    WriterService writer = harness.startWriter("0", QUICK_TO_NOTICE);
    List<UUID> incidents = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    AtomicInteger sent = new AtomicInteger();
    ScheduledFuture<?> stream = producing.scheduleAtFixedRate(() -> {
      int n = sent.getAndIncrement();
      harness.send(TestEvents.note(incidents.get(n % incidents.size()), "n" + n));
    }, 0, 50, TimeUnit.MILLISECONDS);
    await().atMost(PROCESSED).until(() -> Databases.count(harness.dataSource, "SELECT count(*) FROM incident_event") >= 20);

    // When the server stops for 20 seconds while events keep coming
    postgres.stop();
    CompletableFuture<DuringOutage> outage = new CompletableFuture<>();
    scheduler.schedule(() -> {
      try {
        outage.complete(new DuringOutage(WriterHarness.get(writer, "/readyz").statusCode(),
            WriterHarness.get(writer, "/healthz").statusCode(), harness.groupOffsets(),
            harness.readCommitted(harness.committed).size(),
            writer.registry().get("quorum.writer.consumer.lag").gauge().value(), writer.writer().state()));
      } catch (Exception e) {
        outage.completeExceptionally(e);
      } finally {
        postgres.start();
      }
    }, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);

    // Then the writer pauses: not ready, still alive, its offsets and its output frozen
    await().atMost(OUTAGE).until(() -> writer.writer().state() == KafkaWriter.State.UNAVAILABLE);
    Map<TopicPartition, OffsetAndMetadata> pausedAt = harness.groupOffsets();
    int publishedAtPause = harness.readCommitted(harness.committed).size();
    assertThat(WriterHarness.get(writer, "/readyz").statusCode()).isEqualTo(503);

    // When a member joins the group during the outage and takes a partition (a revoke while unavailable)
    Properties joining = KafkaTestClients.consumer(kafka, harness.group);
    joining.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    joining.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    joining.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(joining)) {
      member.subscribe(List.of(harness.actions));
      await().atMost(OUTAGE).pollInSameThread().until(() -> {
        member.poll(Duration.ofMillis(100));
        return !member.assignment().isEmpty() && writer.writer().assignment().size() == 1;
      });

      // Then the writer stays unavailable and not ready throughout (several retry periods): only the
      // database can tell it otherwise
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofMillis(4_500))
          .until(() -> writer.writer().state() == KafkaWriter.State.UNAVAILABLE);
      assertThat(WriterHarness.get(writer, "/readyz").statusCode()).isEqualTo(503);
    }
    DuringOutage seen = outage.get(OUTAGE.toSeconds() + 30, TimeUnit.SECONDS);
    assertThat(seen.state()).isEqualTo(KafkaWriter.State.UNAVAILABLE);
    assertThat(seen.readyz()).isEqualTo(503);
    assertThat(seen.healthz()).isEqualTo(200);
    assertThat(seen.offsets()).isEqualTo(pausedAt);
    assertThat(seen.committed()).isEqualTo(publishedAtPause);
    assertThat(seen.lag()).as("records waiting while paused").isPositive();

    // When the server is back, Then the writer resumes by itself and everything is written exactly once
    await().atMost(PROCESSED).until(writer::isReady);
    int more = sent.get() + 20;
    await().atMost(PROCESSED).until(() -> sent.get() >= more);
    stream.cancel(false);
    producing.submit(() -> { }).get(10, TimeUnit.SECONDS); // the send under way, if any, has finished
    harness.awaitAllProcessed(PROCESSED);
    assertThat(WriterHarness.get(writer, "/readyz").statusCode()).isEqualTo(200);
    assertThat(writer.writer().stats().unavailableEpisodes()).isPositive();
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(harness.produced().size());
    assertThat(summary.committed()).isEqualTo(harness.produced().size());
  }

  @Test
  void a_database_unreachable_at_start_up_is_waited_for_not_ready_and_the_writer_starts_when_it_is_back(
      EmbeddedPostgres postgres) throws Exception {
    // Given events waiting in the input topic and a database server that is down
    PostgresDatabase database = postgres.newDatabase("outage_at_start");
    harness = new WriterHarness(kafka, database, 2);
    for (int i = 0; i < 10; i++) harness.send(TestEvents.note(UUID.randomUUID(), "waiting " + i));
    postgres.stop();

    // When a writer starts
    WriterService writer = harness.newWriter("0", QUICK_TO_NOTICE);
    CompletableFuture<WriterService> started = CompletableFuture.supplyAsync(writer::start);

    // Then it waits, alive but not ready, and says why; it does not give up
    await().atMost(PROCESSED).ignoreExceptions().until(() -> WriterHarness.get(writer, "/readyz").statusCode() == 503
        && WriterHarness.get(writer, "/readyz").body().contains("waiting for the database"));
    assertThat(WriterHarness.get(writer, "/healthz").statusCode()).isEqualTo(200);
    await().atMost(PROCESSED).ignoreExceptions().until(() -> writer.runner().stats().exhausted() >= 2);
    assertThat(started).isNotDone();

    // When the server is back, Then the writer starts by itself and writes everything once
    postgres.start();
    started.get(PROCESSED.toSeconds(), TimeUnit.SECONDS);
    harness.awaitAllProcessed(PROCESSED);
    await().atMost(PROCESSED).until(writer::isReady);
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(10);
  }
}
