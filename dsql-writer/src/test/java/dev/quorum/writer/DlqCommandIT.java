package dev.quorum.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithKafka;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.TestEvents;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import dev.quorum.writer.cli.DlqCommand;
import dev.quorum.writer.config.WriterService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The {@code dlq} command against a real broker, on dead letters a real writer produced. */
@WithKafka
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DlqCommandIT {
  private static final Duration PROCESSED = Duration.ofSeconds(60);

  private final KafkaBroker kafka;
  private final PostgresDatabase database;
  private WriterHarness scenario;

  DlqCommandIT(KafkaBroker kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
  }

  @AfterEach
  void tear_down() {
    if (scenario != null) scenario.close();
  }

  private record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  @Test
  void dead_letters_are_listed_and_shown_by_reason_and_redriven_under_their_original_ids_after_a_fix() throws Exception {
    // Given a database that refuses notes saying "blocked" (a check constraint), and a writer
    scenario = new WriterHarness(kafka, database, 2);
    new Migrator(scenario.dataSource, Dialect.POSTGRESQL,
        new TransactionRunner(scenario.dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(30))).migrate();
    scenario.execute("ALTER TABLE incident_event ADD CONSTRAINT dlq_it_blocked CHECK (data NOT LIKE '%blocked%')");
    WriterService writer = scenario.startWriter("0");

    // When good events, three refused ones and a malformed record are written
    UUID incident = UUID.randomUUID();
    List<Event> good = new ArrayList<>();
    List<Event> blocked = new ArrayList<>();
    for (int i = 0; i < 5; i++) good.add(scenario.send(TestEvents.note(incident, "fine " + i)).event());
    for (int i = 0; i < 3; i++) blocked.add(scenario.send(TestEvents.note(incident, "blocked " + i)).event());
    scenario.send(incident.toString(), "{\"oops\"".getBytes(StandardCharsets.UTF_8));
    scenario.awaitAllProcessed(PROCESSED);

    // Then list shows four dead letters, filters by reason and limits what it prints
    Run all = dlq("list");
    assertThat(all.exit()).isZero();
    assertThat(all.lines()).hasSize(4);
    assertThat(all.err()).contains("4 dead letter(s)", "malformed-envelope 1", "rejected-by-database 3");
    Run refused = dlq("list", "--reason", "rejected-by-database");
    assertThat(refused.lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("\trejected-by-database\t"));
    assertThat(refused.lines().stream().map(line -> line.split("\t")[2]))
        .containsExactlyInAnyOrderElementsOf(blocked.stream().map(e -> e.id().toString()).toList());
    assertThat(dlq("list", "--limit", "1").lines()).hasSize(1);

    // And show prints one in full, by position or by event id
    String malformedPosition = all.lines().stream().filter(l -> l.contains("\tmalformed-envelope\t"))
        .findFirst().orElseThrow().split("\t")[0];
    Run malformed = dlq("show", malformedPosition);
    assertThat(malformed.exit()).isZero();
    assertThat(malformed.out()).contains("reason: malformed-envelope", "header quorum.error.message: ", "{\"oops\"");
    Run byId = dlq("show", blocked.getFirst().id().toString());
    assertThat(byId.out()).contains("header quorum.error.sqlstate: 23514", "blocked 0");
    assertThat(dlq("show", "0@999999").exit()).isEqualTo(1);

    // When a dry run selects the refused ones, Then nothing is sent
    long inputBefore = inputRecords();
    Run dryRun = dlq("redrive", "--reason", "rejected-by-database", "--dry-run");
    assertThat(dryRun.lines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("would redrive "));
    assertThat(inputRecords()).isEqualTo(inputBefore);

    // When the cause is fixed and they are redriven, Then the writer stores them under their original ids
    scenario.execute("ALTER TABLE incident_event DROP CONSTRAINT dlq_it_blocked");
    Run redrive = dlq("redrive", "--reason", "rejected-by-database");
    assertThat(redrive.exit()).isZero();
    assertThat(redrive.lines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("redriven "));
    assertThat(inputRecords()).isEqualTo(inputBefore + 3);
    scenario.awaitAllProcessed(PROCESSED);
    Map<UUID, Event> stored = storedById();
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.concat(good.stream(), blocked.stream()).map(Event::id).toList());
    for (Event event : blocked) {
      assertThat(EventCodec.canonical(stored.get(event.id()))).isEqualTo(EventCodec.canonical(event));
    }

    // When one is redriven again, Then it is a duplicate: stored once, published again as stored
    long duplicates = writer.processor().stats().duplicates();
    assertThat(dlq("redrive", "--id", blocked.getFirst().id().toString()).lines()).hasSize(1);
    scenario.awaitAllProcessed(PROCESSED);
    assertThat(writer.processor().stats().duplicates()).isEqualTo(duplicates + 1);
    assertThat(storedById()).hasSize(8);
    ExactSet.assertOneVersionPerId(scenario, scenario.readCommitted(scenario.committed));
    assertThat(dlq("list").lines()).hasSize(4);
  }

  @Test
  void redrive_without_a_selection_and_an_unknown_reason_are_usage_errors() {
    scenario = new WriterHarness(kafka, database, 1);

    Run bare = dlq("redrive");
    assertThat(bare.exit()).isEqualTo(2);
    assertThat(bare.err()).contains("--reason or --id");
    Run unknown = dlq("list", "--reason", "bad-vibes");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown reason bad-vibes", "rejected-by-database");
  }

  private Run dlq(String... args) {
    List<String> all = new ArrayList<>(List.of(
        "--set", "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
        "--set", "writer.topic.actions=" + scenario.actions,
        "--set", "writer.topic.dlq=" + scenario.dlq));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = DlqCommand.commandLine(Map.of(), new Properties());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private long inputRecords() {
    return scenario.endOffsets(scenario.actions).values().stream().mapToLong(Long::longValue).sum();
  }

  private Map<UUID, Event> storedById() {
    Map<UUID, Event> byId = new java.util.HashMap<>();
    for (Event event : scenario.stored()) byId.put(event.id(), event);
    return byId;
  }
}
