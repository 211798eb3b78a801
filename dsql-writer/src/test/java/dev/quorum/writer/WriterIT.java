package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Axis;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.dsql.DsqlConflictInjector;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.stack.kafka.KafkaTestClients;
import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.StoreException;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.store.tx.ErrorKind;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.WriterHarness.Produced;
import dev.quorum.writer.config.WriterConfig;
import dev.quorum.writer.config.WriterService;
import dev.quorum.writer.domain.BatchProcessor;
import dev.quorum.writer.kafka.KafkaWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriterIT {
  private static final Duration PROCESSED = Duration.ofSeconds(60);

  private final KafkaBroker kafka;
  private final PostgresDatabase database;
  private WriterHarness harness;
  private DsqlConflictInjector injector;

  WriterIT(KafkaBroker kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
  }

  @AfterEach
  void tear_down() {
    if (harness != null) harness.close();
    if (injector != null) injector.uninstall();
  }

  @Test
  void the_same_event_twice_in_one_batch_and_across_batches_is_one_row_and_one_committed_event_per_delivery() {
    // Given an event delivered twice before the writer starts, so both land in its first batch
    harness = new WriterHarness(kafka, database, 2);
    Event event = TestEvents.note(UUID.randomUUID(), "twice");
    harness.send(event);
    harness.send(event);
    harness.startWriter("0", Map.of("writer.batch.max.wait", "500ms"));
    harness.awaitAllProcessed(PROCESSED);

    // When it is delivered a third time, in a later batch
    harness.send(event);
    harness.awaitAllProcessed(PROCESSED);

    // Then one row, three committed copies of the stored version, nothing dead-lettered
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(1);
    assertThat(summary.committed()).isEqualTo(3);
    assertThat(summary.deadLetterReasons()).isEmpty();
  }

  @Test
  void a_reused_id_with_different_content_is_dead_lettered_and_the_first_version_stands() {
    harness = new WriterHarness(kafka, database, 2);
    Event original = TestEvents.note(UUID.randomUUID(), "original");
    harness.startWriter("0");
    harness.send(original);
    harness.awaitAllProcessed(PROCESSED);

    // When the id comes back with other content, alone and next to its own first version
    Produced changed = harness.send(TestEvents.withText(original, "changed"));
    harness.send(original);
    harness.awaitAllProcessed(PROCESSED);

    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.deadLetterReasons())
        .containsExactly(Map.entry(changed.partition() + "@" + changed.offset(), "conflicting-duplicate"));
    assertThat(summary.committed()).isEqualTo(2);
  }

  @Test
  void poison_records_are_dead_lettered_with_their_reasons_and_the_rest_is_written() {
    // Given one batch mixing good events with bad JSON, bytes that are not UTF-8, a known type with invalid
    // data, text the database cannot hold (a NUL in data, half a surrogate pair in the envelope), and a
    // value the database refuses (a check constraint)
    harness = new WriterHarness(kafka, database, 1);
    migrate(harness.dataSource);
    harness.execute("ALTER TABLE incident_event ADD CONSTRAINT writer_it_refused CHECK (data NOT LIKE '%refused%')");
    UUID incident = UUID.randomUUID();
    String key = incident.toString();
    List<Event> good = new ArrayList<>();
    for (int i = 0; i < 20; i++) good.add(TestEvents.note(incident, "good " + i));
    Event refused = TestEvents.note(incident, "refused");
    String note = EventCodec.encodeToString(TestEvents.note(incident, "x"));

    for (int i = 0; i < 10; i++) harness.send(good.get(i));
    Produced badJson = harness.send(key, "{\"specversion\":\"1.0\",".getBytes(StandardCharsets.UTF_8));
    Produced notUtf8 = harness.send(key, new byte[] {0x7b, 0, 0, 0, 0, 0, (byte) 0xff, 0});
    Produced invalid = harness.send(key, note.replace("\"text\":\"x\"", "\"text\":7").getBytes(StandardCharsets.UTF_8));
    Produced nulInData = harness.send(key, note.replace("\"text\":\"x\"", "\"text\":\"x\\u0000\"").getBytes(StandardCharsets.UTF_8));
    Produced surrogateInActor = harness.send(key, note.replaceFirst("\"actor\":\"", "\"actor\":\"\\\\udc00")
        .getBytes(StandardCharsets.UTF_8));
    Produced rejected = harness.send(refused);
    for (int i = 10; i < 20; i++) harness.send(good.get(i));

    // When the writer processes it
    WriterService writer = harness.startWriter("0", Map.of("writer.batch.max.wait", "500ms"));
    harness.awaitAllProcessed(PROCESSED);

    // Then each is dead-lettered with its reason, before the database for all but the refused one, and the
    // twenty good events are written
    ExactSet.Summary summary = ExactSet.verify(harness, p -> p.event() != null && p.event().id().equals(refused.id()));
    assertThat(summary.stored()).isEqualTo(20);
    assertThat(summary.deadLetterReasons()).containsOnly(
        Map.entry(badJson.partition() + "@" + badJson.offset(), "malformed-envelope"),
        Map.entry(notUtf8.partition() + "@" + notUtf8.offset(), "malformed-envelope"),
        Map.entry(invalid.partition() + "@" + invalid.offset(), "invalid-data"),
        Map.entry(nulInData.partition() + "@" + nulInData.offset(), "invalid-data"),
        Map.entry(surrogateInActor.partition() + "@" + surrogateInActor.offset(), "malformed-envelope"),
        Map.entry(rejected.partition() + "@" + rejected.offset(), "rejected-by-database"));
    assertThat(writer.processor().stats().splits()).isPositive();
    var deadLetters = harness.readCommitted(harness.dlq);
    assertThat(message(deadLetters, nulInData)).startsWith("$.data.text: holds a NUL character");
    assertThat(message(deadLetters, surrogateInActor)).startsWith("$.actor: holds an unpaired UTF-16 surrogate");
    assertThat(message(deadLetters, notUtf8)).startsWith("$: holds a NUL byte at offset 1");
    var rejectedRecord = deadLetters.stream()
        .filter(r -> "rejected-by-database".equals(ExactSet.header(r, dev.quorum.event.Topics.DlqHeaders.ERROR_REASON)))
        .findFirst().orElseThrow();
    assertThat(ExactSet.header(rejectedRecord, dev.quorum.event.Topics.DlqHeaders.SQLSTATE)).isEqualTo("23514");
    assertThat(rejectedRecord.value()).isEqualTo(EventCodec.encode(refused));
  }

  /** The error message of the dead letter of a produced record. */
  private static String message(List<ConsumerRecord<byte[], byte[]>> deadLetters, Produced produced) {
    return deadLetters.stream()
        .filter(r -> String.valueOf(produced.offset()).equals(ExactSet.header(r, dev.quorum.event.Topics.DlqHeaders.ORIGINAL_OFFSET)))
        .map(r -> ExactSet.header(r, dev.quorum.event.Topics.DlqHeaders.ERROR_MESSAGE))
        .findFirst().orElseThrow();
  }

  @Test
  void an_unknown_type_is_stored_and_committed() {
    harness = new WriterHarness(kafka, database, 1);
    Event unknown = TestEvents.unknown(UUID.randomUUID());
    harness.startWriter("0");

    harness.send(unknown);
    harness.awaitAllProcessed(PROCESSED);

    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(1);
    assertThat(summary.committed()).isEqualTo(1);
    assertThat(harness.stored().getFirst().type()).isEqualTo("quorum.runbook.linked");
  }

  @Test
  void injected_oc000_conflicts_on_30_percent_of_transactions_still_give_the_exact_set() {
    // Given 30% of the writing transactions fail at commit with OC000, and twelve attempts each
    harness = new WriterHarness(kafka, database, 3);
    migrate(harness.dataSource);
    injector = DsqlConflictInjector.install(harness.dataSource, 0.3, 2026, "incident_event", "incident");
    List<UUID> incidents = new ArrayList<>();
    for (int i = 0; i < 12; i++) incidents.add(UUID.randomUUID());
    WriterService writer = harness.startWriter("0", Map.of("db.retry.max.attempts", "12", "writer.batch.max.rows", "40"));
    var registry = writer.registry();

    // When 300 events (with some re-deliveries) are written
    for (int i = 0; i < 300; i++) {
      Event event = TestEvents.note(incidents.get(i % incidents.size()), "n" + i);
      harness.send(event);
      if (i % 25 == 0) harness.send(event);
    }
    harness.awaitAllProcessed(PROCESSED);

    // Then the exact set holds, and retries were needed and counted
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(300);
    assertThat(writer.runner().stats().retries()).isPositive();
    assertThat(writer.runner().stats().exhausted()).isZero();
    assertThat(registry.get("quorum.store.retries").functionCounter().count())
        .isEqualTo(writer.runner().stats().retries());
    assertThat(registry.get("quorum.writer.events.inserted").functionCounter().count()).isEqualTo(300);
    assertThat(registry.get("quorum.writer.ready").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void a_batch_spanning_many_new_incidents_never_modifies_more_than_3000_rows_in_one_transaction() {
    // Given 4,000 events, each opening a new incident (two rows each), waiting before the writer starts
    harness = new WriterHarness(kafka, database, 1);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) events.add(TestEvents.note(UUID.randomUUID(), "n" + i));
    harness.sendAll(events);

    // When the writer runs with the largest batches DSQL allows
    long start = System.nanoTime();
    harness.startWriter("0", Map.of("writer.batch.max.rows", "3000", "writer.batch.max.wait", "1s"));
    harness.awaitAllProcessed(PROCESSED);
    // Informational only (start-up and the last batch's wait included); nothing asserts on time.
    System.out.printf("wrote 4000 events of 4000 new incidents in %.1f s: %.0f events/s%n",
        (System.nanoTime() - start) / 1e9, 4_000 / ((System.nanoTime() - start) / 1e9));

    // Then every transaction (rows share the inserting transaction's xmin) modified at most 3,000 rows,
    // and the batches did fill up to the bound
    List<Integer> rowsPerTransaction = Databases.strings(harness.dataSource, """
        SELECT count(*) FROM (SELECT xmin::text AS tx FROM incident_event
                              UNION ALL SELECT xmin::text FROM incident) rows GROUP BY tx""")
        .stream().map(Integer::valueOf).toList();
    assertThat(rowsPerTransaction).allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(3_000));
    assertThat(rowsPerTransaction.stream().mapToInt(Integer::intValue).max().orElseThrow()).isEqualTo(3_000);
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(4_000);
  }

  @Test
  void the_writer_refuses_to_start_on_a_topic_without_log_append_time() {
    harness = new WriterHarness(kafka, database, 1, Map.of("message.timestamp.type", "CreateTime"));

    assertThatThrownBy(() -> harness.startWriter("0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("message.timestamp.type=CreateTime")
        .hasMessageContaining("LogAppendTime");
  }

  @Test
  void a_database_that_refuses_the_role_fails_the_start_at_once_through_the_pool() {
    // Given a role the server refuses, behind the writer's real connection pool
    harness = new WriterHarness(kafka, database, 1);
    WriterService writer = harness.newWriter("0", Map.of("db.username", "no_such_role", "db.connect.timeout", "2s"));

    // When the writer starts, Then it fails at once (no waiting for the database), naming the refusal
    assertThatThrownBy(writer::start).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
      assertThat(e.sqlState()).startsWith("28");
      assertThat(e.attempts()).isEqualTo(1);
    });
  }

  @Test
  void when_retries_are_exhausted_offsets_and_output_stay_put_the_writer_is_unready_and_recovers_when_the_database_is_back()
      throws Exception {
    // Given a writer that gives up on a transaction after two attempts and has written a first batch
    harness = new WriterHarness(kafka, database, 2);
    migrate(harness.dataSource);
    injector = DsqlConflictInjector.install(harness.dataSource, 0.0, 5, "incident_event", "incident");
    WriterService writer = harness.startWriter("0", Map.of("db.retry.max.attempts", "2"));
    for (int i = 0; i < 10; i++) harness.send(TestEvents.note(UUID.randomUUID(), "before " + i));
    harness.awaitAllProcessed(PROCESSED);
    var offsetsBefore = harness.groupOffsets();
    var committedBefore = harness.readCommitted(harness.committed);
    assertThat(offsetsBefore).isNotEmpty();

    // When every writing transaction fails from now on, and more events come
    injector.setRate(1.0);
    for (int i = 0; i < 10; i++) harness.send(TestEvents.note(UUID.randomUUID(), "during " + i));
    await().atMost(PROCESSED).until(() -> writer.writer().state() == KafkaWriter.State.UNAVAILABLE);

    // Then the attempts ran out, and the writer is not ready yet alive, keeps trying with backoff, and
    // has moved no offset and published nothing more
    assertThat(writer.runner().stats().exhausted()).isPositive();
    assertThat(writer.isReady()).isFalse();
    assertThat(get(writer, "/readyz").statusCode()).isEqualTo(503);
    assertThat(get(writer, "/healthz").statusCode()).isEqualTo(200);
    assertThat(writer.writer().isAlive()).isTrue();
    long decided = injector.dataDecisions();
    await().atMost(PROCESSED).until(() -> injector.dataDecisions() >= decided + 4);
    assertThat(harness.groupOffsets()).isEqualTo(offsetsBefore);
    assertThat(harness.readCommitted(harness.committed)).hasSameSizeAs(committedBefore);
    assertThat(harness.stored()).hasSize(10);

    // When the database recovers, Then the writer resumes by itself and everything is written exactly once
    injector.setRate(0.0);
    harness.awaitAllProcessed(PROCESSED);
    await().atMost(PROCESSED).until(writer::isReady);
    assertThat(get(writer, "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(writer, "/metrics").body()).contains("quorum_writer_unavailable_episodes_total",
        "quorum_store_retries_exhausted_total");
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(20);
    var committedAfter = harness.readCommitted(harness.committed);
    ExactSet.assertStillThere(committedBefore, committedAfter);
    ExactSet.assertOneVersionPerId(harness, committedAfter);
    assertThat(writer.writer().stats().unavailableEpisodes()).isEqualTo(1);
  }

  @Test
  void metrics_count_writes_duplicates_dead_letters_by_reason_and_retries_by_cause_with_batch_histograms_and_lag()
      throws Exception {
    // Given half the writing transactions fail with OC000, small batches, and enough attempts for all
    harness = new WriterHarness(kafka, database, 1);
    migrate(harness.dataSource);
    injector = DsqlConflictInjector.install(harness.dataSource, 0.5, 11, "incident_event", "incident");
    WriterService writer = harness.startWriter("0", Map.of("db.retry.max.attempts", "40", "writer.batch.max.rows", "4"));
    String instance = "instance=\"" + harness.group + "-0\"";

    // When 30 events, 5 re-deliveries, a malformed record, invalid data and a conflicting reuse are written
    UUID incident = UUID.randomUUID();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) events.add(TestEvents.note(incident, "m" + i));
    for (int i = 0; i < 30; i++) {
      harness.send(events.get(i));
      if (i % 6 == 5) harness.send(events.get(i - 1));
    }
    harness.send(incident.toString(), "not json".getBytes(StandardCharsets.UTF_8));
    harness.send(incident.toString(), EventCodec.encodeToString(TestEvents.note(incident, "x"))
        .replace("\"text\":\"x\"", "\"text\":7").getBytes(StandardCharsets.UTF_8));
    harness.send(TestEvents.withText(events.getFirst(), "changed"));
    harness.awaitAllProcessed(PROCESSED);

    // Then /metrics says so, in Prometheus text
    await().atMost(PROCESSED).until(() -> sample(get(writer, "/metrics").body(), "quorum_writer_consumer_lag", instance) == 0);
    String metrics = get(writer, "/metrics").body();
    assertThat(sample(metrics, "quorum_writer_events_inserted_total", instance)).isEqualTo(30);
    assertThat(sample(metrics, "quorum_writer_events_duplicates_total", instance)).isEqualTo(5);
    assertThat(sample(metrics, "quorum_writer_dead_letters_published_total", instance, "reason=\"malformed-envelope\""))
        .isEqualTo(1);
    assertThat(sample(metrics, "quorum_writer_dead_letters_published_total", instance, "reason=\"invalid-data\""))
        .isEqualTo(1);
    assertThat(sample(metrics, "quorum_writer_dead_letters_published_total", instance, "reason=\"conflicting-duplicate\""))
        .isEqualTo(1);
    assertThat(sample(metrics, "quorum_writer_dead_letters_published_total", instance, "reason=\"rejected-by-database\""))
        .isZero();
    double retries = sample(metrics, "quorum_store_retries_by_cause_total", instance, "sqlstate=\"40001\"", "code=\"OC000\"");
    assertThat(retries).isPositive().isEqualTo(writer.runner().stats().retries());
    double batches = sample(metrics, "quorum_writer_batches_committed_total", instance);
    assertThat(sample(metrics, "quorum_writer_batch_size_records_count", instance)).isEqualTo(batches);
    assertThat(sample(metrics, "quorum_writer_batch_size_records_sum", instance)).isEqualTo(38);
    assertThat(sample(metrics, "quorum_writer_batch_size_records_bucket", instance, "le=\"+Inf\"")).isEqualTo(batches);
    for (String step : List.of("database", "kafka")) {
      assertThat(sample(metrics, "quorum_writer_commit_latency_seconds_count", instance, "step=\"" + step + "\""))
          .isEqualTo(batches);
      assertThat(sample(metrics, "quorum_writer_commit_latency_seconds_bucket", instance, "step=\"" + step + "\"",
          "le=\"+Inf\"")).isEqualTo(batches);
    }
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(30);
  }

  /** The value of the one sample of {@code name} whose labels include all of {@code labels}. */
  private static double sample(String metrics, String name, String... labels) {
    List<Double> values = metrics.lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .toList();
    assertThat(values).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
    return values.getFirst();
  }

  @Test
  void a_writer_fenced_by_a_newer_producer_with_its_transactional_id_stops_and_its_successor_loses_nothing()
      throws Exception {
    // Given a running writer that has written a first batch
    harness = new WriterHarness(kafka, database, 2);
    WriterService writer = harness.startWriter("0");
    for (int i = 0; i < 10; i++) harness.send(TestEvents.note(UUID.randomUUID(), "before " + i));
    harness.awaitAllProcessed(PROCESSED);

    // When another producer takes its transactional id (a zombie's successor would), and events keep coming
    Properties fencing = KafkaTestClients.transactionalProducer(kafka, harness.group + "-0");
    try (KafkaProducer<String, String> successor = new KafkaProducer<>(fencing)) {
      successor.initTransactions();
    }
    for (int i = 0; i < 10; i++) harness.send(TestEvents.note(UUID.randomUUID(), "after " + i));

    // Then the fenced writer stops, failed and not ready, without taking its id back (no producer re-created)
    await().atMost(PROCESSED).until(() -> writer.writer().state() == KafkaWriter.State.FAILED);
    assertThat(writer.writer().failure()).hasMessageContaining("fenced by a newer producer");
    assertThat(writer.writer().stats().producerRestarts()).isZero();
    assertThat(get(writer, "/readyz").statusCode()).isEqualTo(503);

    // When the successor instance runs, Then nothing was lost or doubled
    harness.startWriter("0");
    harness.awaitAllProcessed(PROCESSED);
    ExactSet.Summary summary = ExactSet.verify(harness);
    assertThat(summary.stored()).isEqualTo(20);
    assertThat(summary.committed()).isEqualTo(20);
  }

  @Test
  void a_stored_event_too_large_for_the_committed_topic_is_dead_lettered_once_counted_once_and_the_rest_goes_on()
      throws Exception {
    // Given a committed topic that takes records of at most 4 KiB, and one batch with an event larger than that
    harness = new WriterHarness(kafka, database, 1);
    harness.configureTopic(harness.committed, Map.of("max.message.bytes", "4096"));
    UUID incident = UUID.randomUUID();
    harness.send(TestEvents.note(incident, "small 0"));
    Produced big = harness.send(TestEvents.note(incident, "x".repeat(6_000)));
    harness.send(TestEvents.note(incident, "small 1"));
    harness.send(TestEvents.note(incident, "small 2"));

    // When the writer processes it, its producer's batches no larger than the topic takes (as with Kafka's
    // defaults: a record over the topic's limit is then a batch of its own, which the broker refuses)
    WriterService writer = harness.startWriter("0", Map.of("writer.batch.max.wait", "500ms",
        "kafka.client.batch.size", "2048"));
    harness.awaitAllProcessed(PROCESSED);

    // Then the large event is stored, dead-lettered as rejected by Kafka, and the others are published
    assertThat(writer.writer().state()).isEqualTo(KafkaWriter.State.RUNNING);
    assertThat(harness.stored()).hasSize(4);
    assertThat(harness.readCommitted(harness.committed)).hasSize(3)
        .noneMatch(r -> EventCodec.decode(r.value()).id().equals(big.event().id()));
    assertThat(harness.readCommitted(harness.dlq)).singleElement().satisfies(r -> {
      assertThat(ExactSet.header(r, dev.quorum.event.Topics.DlqHeaders.ERROR_REASON)).isEqualTo("rejected-by-kafka");
      assertThat(ExactSet.header(r, dev.quorum.event.Topics.DlqHeaders.ORIGINAL_OFFSET))
          .isEqualTo(Long.toString(big.offset()));
      assertThat(r.value()).isEqualTo(big.value());
    });

    // And the batch was aborted and stored again, yet each event is counted once, when it was published
    assertThat(writer.writer().stats().kafkaAborts()).isPositive();
    assertThat(writer.processor().stats().duplicates()).as("the replay's read-backs").isPositive();
    String instance = "instance=\"" + harness.group + "-0\"";
    String metrics = get(writer, "/metrics").body();
    assertThat(sample(metrics, "quorum_writer_events_inserted_total", instance)).isEqualTo(3);
    assertThat(sample(metrics, "quorum_writer_events_duplicates_total", instance)).isZero();
    assertThat(sample(metrics, "quorum_writer_dead_letters_published_total", instance, "reason=\"rejected-by-kafka\""))
        .isEqualTo(1);

    // When more events come, Then they go as usual
    harness.send(TestEvents.note(incident, "after"));
    harness.awaitAllProcessed(PROCESSED);
    assertThat(harness.readCommitted(harness.committed)).hasSize(4);
  }

  @Test
  void two_lanes_store_at_once_never_one_partition_twice_and_each_partition_in_offset_order() throws Exception {
    // Given 800 events on 40 incidents over 4 partitions, waiting before the writer starts
    TransactionRunner runner = notesWaiting(4, 40, 800);

    // When the writer stores them with two lanes and small batches, watched at the store
    WriterConfig config = WriterConfig.parse(harness.config("0", Map.of("writer.batch.max.rows", "60", "writer.db.lanes", "2")));

    WatchedStore store = new WatchedStore(new JdbcEventStore(runner));
    KafkaWriter writer = new KafkaWriter(config.kafka(), new BatchProcessor(store)).start();
    try {
      harness.awaitAllProcessed(PROCESSED);
    } finally {
      writer.close();
    }

    // Then two transactions ran at once, never two of one partition, each partition's batches in order
    assertThat(store.mostAtOnce).isEqualTo(2);
    assertThat(store.problems).isEmpty();
    assertThat(store.batches).isGreaterThan(800 / 60);
    // and the exact set holds, with each partition's committed events in the order of their offsets
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(800);
    assertCommittedInOffsetOrder();
  }

  @Test
  void under_load_the_next_batch_is_laid_out_on_the_loop_thread_while_one_is_stored_and_stored_right_after_it_in_order()
      throws Exception {
    // Given 600 events on 30 incidents over 2 partitions, waiting before the writer starts
    TransactionRunner runner = notesWaiting(2, 30, 600);

    // When the writer stores them in small batches through a store whose transactions last until the next is laid out
    WriterConfig config = WriterConfig.parse(harness.config("0", Map.of("writer.batch.max.rows", "40")));
    PipelineStore store = new PipelineStore(new JdbcEventStore(runner));
    KafkaWriter writer = new KafkaWriter(config.kafka(), new BatchProcessor(store)).start();
    try {
      harness.awaitAllProcessed(PROCESSED);
    } finally {
      writer.close();
    }

    // Then batches were laid out while another was being stored, and neither laid out nor their outcomes worked out
    // on the database thread,
    assertThat(store.problems).isEmpty();
    assertThat(store.preparedWhileStoring).isGreaterThan(3);
    assertThat(store.appended).isGreaterThan(600 / 40);
    // each stored as laid out, and the exact set holds, each partition's committed events in offset order
    assertThat(store.appendedUnprepared).isZero();
    assertThat(ExactSet.verify(harness).stored()).isEqualTo(600);
    assertCommittedInOffsetOrder();
  }

  /**
   * A harness over {@code partitions} partitions, its database migrated, with {@code count} notes on {@code incidents}
   * incidents waiting on the actions topic before any writer starts; the runner for the store under test.
   */
  private TransactionRunner notesWaiting(int partitions, int incidents, int count) {
    harness = new WriterHarness(kafka, database, partitions);
    migrate(harness.dataSource);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < incidents; i++) ids.add(UUID.randomUUID());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) events.add(TestEvents.note(ids.get(i % ids.size()), "n" + i));
    harness.sendAll(events);
    return new TransactionRunner(harness.dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(30));
  }

  /** Each partition's committed events are in the order of their offsets. */
  private void assertCommittedInOffsetOrder() {
    Map<Integer, Long> lastOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : harness.readCommitted(harness.committed)) {
      var stored = EventCodec.decode(record.value()).stored();
      Long before = lastOffset.put(stored.partition(), stored.offset());
      assertThat(before == null || before < stored.offset())
          .as("committed event of partition %d offset %d after offset %d", stored.partition(), stored.offset(), before)
          .isTrue();
    }
  }

  /** A store that hands its reads to another; the watched stores below only change how batches are stored. */
  private abstract static class ForwardingStore implements EventStore {
    final EventStore store;

    ForwardingStore(EventStore store) {
      this.store = store;
    }

    @Override
    public List<Event> events(UUID incidentId) {
      return store.events(incidentId);
    }

    @Override
    public List<Event> eventsAsOf(UUID incidentId, Axis axis, Instant asOf) {
      return store.eventsAsOf(incidentId, axis, asOf);
    }

    @Override
    public Page scan(Position after, Instant until, int limit) {
      return store.scan(after, until, limit);
    }
  }

  /**
   * The real store, watched for the writer's pipeline: where and when batches are laid out and their outcomes worked
   * out, whether what is stored was laid out first, and that each partition's batches are stored in offset order. Each
   * transaction waits until the next batch was laid out meanwhile (a second at most), as a slow database would.
   */
  private static final class PipelineStore extends ForwardingStore {
    private final Map<Integer, Long> lastOffset = new HashMap<>();
    private final Set<Prepared> laidOut = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final List<String> problems = new ArrayList<>();
    boolean storing;
    int preparedWhileStoring;
    int appended;
    int appendedUnprepared;

    PipelineStore(EventStore store) {
      super(store);
    }

    @Override
    public synchronized Prepared prepare(List<Incoming> batch) {
      if (Thread.currentThread().getName().startsWith("dsql-writer-db-")) problems.add("laid out on the database thread");
      if (storing) preparedWhileStoring++;
      Prepared prepared = store.prepare(batch);
      laidOut.add(prepared);
      notifyAll();
      return prepared;
    }

    @Override
    public AppendResult append(Prepared prepared) {
      synchronized (this) {
        appended++;
        if (!laidOut.remove(prepared)) appendedUnprepared++;
        for (Incoming incoming : prepared.batch()) {
          Long last = lastOffset.put(incoming.partition(), incoming.offset());
          if (last != null && last >= incoming.offset()) {
            problems.add("partition " + incoming.partition() + " offset " + incoming.offset() + " after " + last);
          }
        }
        storing = true;
        // the transaction lasts until the next batch was laid out meanwhile (1 s at most: the last has none)
        int before = preparedWhileStoring;
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        try {
          while (preparedWhileStoring == before && System.nanoTime() < deadline) wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      try {
        AppendResult result = store.append(prepared);
        return AppendResult.deferred(() -> {
          if (Thread.currentThread().getName().startsWith("dsql-writer-db-")) {
            synchronized (this) {
              problems.add("outcomes worked out on the database thread");
            }
          }
          return result.outcomes();
        });
      } finally {
        synchronized (this) {
          storing = false;
        }
      }
    }

    @Override
    public AppendResult append(List<Incoming> batch) {
      return append(prepare(batch));
    }

  }

  /**
   * The real store, watched: it holds the first transaction until another runs at once (10 s at most, so
   * a writer with one lane goes on, and fails the test), and notes any two transactions of one
   * partition at once and any partition's batch that does not follow the one before.
   */
  private static final class WatchedStore extends ForwardingStore {
    private final Set<Integer> active = new HashSet<>();
    private final Map<Integer, Long> lastOffset = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    int running;
    int mostAtOnce;
    boolean held;
    int batches;

    WatchedStore(EventStore store) {
      super(store);
    }

    @Override
    public AppendResult append(List<Incoming> batch) {
      Set<Integer> partitions = new HashSet<>();
      synchronized (this) {
        batches++;
        for (Incoming incoming : batch) {
          partitions.add(incoming.partition());
          Long last = lastOffset.put(incoming.partition(), incoming.offset());
          if (last != null && last >= incoming.offset()) {
            problems.add("partition " + incoming.partition() + " offset " + incoming.offset() + " after " + last);
          }
        }
        for (int partition : partitions) {
          if (!active.add(partition)) problems.add("two transactions of partition " + partition + " at once");
        }
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        notifyAll();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
          // the first transaction waits for a second one (the other lane's)
          while (!held && mostAtOnce < 2 && System.nanoTime() < deadline) wait(100);
          held = true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        return store.append(batch);
      } finally {
        synchronized (this) {
          running--;
          active.removeAll(partitions);
        }
      }
    }

  }

  private static HttpResponse<String> get(WriterService writer, String path) throws Exception {
    return WriterHarness.get(writer, path);
  }

  private static void migrate(DataSource dataSource) {
    new Migrator(dataSource, Dialect.POSTGRESQL,
        new TransactionRunner(dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(30))).migrate();
  }


}
