package dev.quorum.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Severity;
import dev.quorum.export.cli.ExportCommandAccess;
import dev.quorum.export.duckdb.DuckDbRows;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.Incoming;
import dev.quorum.store.Outcome;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export end to end on the real PostgreSQL: a known set of stored events (several incidents and episodes,
 * acknowledgements, resolves, notes, a merged incident, events recorded after the as-of instant), exported
 * through the command, then opened with DuckDB from the Parquet and the CSV files.
 */
@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExportIT {
  static final Instant T0 = Instant.parse("2026-06-15T02:00:00Z");
  static final UUID A = UUID.fromString("0a000000-0000-4000-8000-000000000001"); // checkout: acked, resolved
  static final UUID B = UUID.fromString("0b000000-0000-4000-8000-000000000002"); // orders: acked, resolved only later
  static final UUID C = UUID.fromString("0c000000-0000-4000-8000-000000000003"); // checkout: merged into A
  static final UUID D = UUID.fromString("0d000000-0000-4000-8000-000000000004"); // db: two episodes
  static final UUID E = UUID.fromString("0e000000-0000-4000-8000-000000000005"); // web: triggered only later

  private final PostgresDatabase database;
  private String url;
  private JdbcEventStore store;
  private long offset;

  ExportIT(PostgresDatabase database) {
    this.database = database;
  }

  @BeforeEach
  void stored_events() {
    url = Databases.freshSchemaUrl(database);
    DataSource dataSource = Databases.dataSource(database, url);
    TransactionRunner runner = new TransactionRunner(dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(30));
    new Migrator(dataSource, Dialect.POSTGRESQL, runner).migrate();
    store = new JdbcEventStore(runner);
  }

  /** The first batch: what the record says at the as-of instant; returns that instant (the batch's recording time). */
  private Instant firstBatch() {
    List<Incoming> batch = new ArrayList<>();
    batch.add(at(0, A, new EventData.IncidentTriggered("Checkout errors", "checkout", Severity.CRITICAL, null)));
    batch.add(at(120, A, new EventData.IncidentAcknowledged()));
    batch.add(at(150, A, new EventData.IncidentAcknowledged())); // no effect: already acknowledged
    batch.add(at(200, A, new EventData.NoteAdded("rolling back 4812")));
    batch.add(at(600, A, new EventData.IncidentResolved("rolled back")));
    batch.add(at(60, B, new EventData.IncidentTriggered("Queue backlog", "orders", Severity.ERROR, null)));
    batch.add(at(360, B, new EventData.IncidentAcknowledged()));
    batch.add(at(400, B, new EventData.NoteAdded("consumers scaled out")));
    batch.add(at(30, C, new EventData.IncidentTriggered("Checkout 5xx", "checkout", Severity.CRITICAL, null)));
    batch.add(at(90, C, new EventData.IncidentMerged(A)));
    batch.add(at(0, D, new EventData.IncidentTriggered("Disk full on db-1", "db", Severity.CRITICAL, null)));
    batch.add(at(300, D, new EventData.IncidentResolved(null)));
    batch.add(at(1000, D, new EventData.IncidentTriggered("Disk full on db-1 again", "db", Severity.CRITICAL, null)));
    batch.add(at(1060, D, new EventData.IncidentAcknowledged()));
    List<Outcome.Inserted> inserted = store.append(batch).inserted();
    assertThat(inserted).hasSize(batch.size());
    return inserted.getFirst().stored().stored().recordedAt();
  }

  /** Recorded after the as-of instant: B's resolve and a new incident E. */
  private void secondBatch(Instant after) throws InterruptedException {
    while (!Instant.now().isAfter(after.plusMillis(5))) Thread.sleep(5);
    List<Incoming> batch = List.of(
        at(900, B, new EventData.IncidentResolved("drained")),
        at(1200, E, new EventData.IncidentTriggered("Web latency", "web", Severity.WARNING, null)));
    assertThat(store.append(batch).inserted()).hasSize(2);
  }

  /** An event of {@code incident} ingested {@code seconds} after T0, that occurred one second before. */
  private Incoming at(long seconds, UUID incident, EventData data) {
    Instant ingested = T0.plusSeconds(seconds);
    Event event = Event.of(UUID.randomUUID(), "test/export", incident, ingested.minusSeconds(1), "user:alice", data);
    return new Incoming(event, ingested, 0, offset++);
  }

  private ExportCommandAccess.Run export(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--db-url", url,
        "-D", "db.username=" + database.username(), "-D", "db.password=" + database.password()));
    args.addAll(List.of(more));
    return ExportCommandAccess.run(args.toArray(String[]::new));
  }

  @Test
  void an_export_as_of_an_instant_holds_what_the_record_said_then_in_parquet_and_csv(@TempDir Path dir) throws Exception {
    // Given the known events, and two more recorded after the as-of instant
    Instant asOf = firstBatch();
    secondBatch(asOf);

    // When they are exported as of that instant, three events per database read
    Path out = dir.resolve("export");
    ExportCommandAccess.Run run = export(out, "--as-of", asOf.toString(), "--page-size", "3");

    // Then it succeeds, and the manifest (printed and written) names the cut and the counts
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"asOf\" : \"" + asOf + "\"", "\"axis\" : \"recorded\"", "\"events\" : 14");
    assertThat(Files.readString(out.resolve("manifest.json")).strip()).isEqualTo(run.stdout().strip());
    assertThat(run.stderr()).contains("folding events");
    assertThat(out.resolve(Exporter.WORK_FILE)).doesNotExist();

    for (String format : List.of("parquet", "csv")) {
      // And both formats hold exactly the incidents, episodes, timeline and buckets of that instant
      assertThat(query(out, format, "SELECT count(*) FROM incidents")).as(format).containsExactly("4");
      assertThat(query(out, format, "SELECT count(*) FROM episodes")).as(format).containsExactly("5");
      assertThat(query(out, format, "SELECT count(*) FROM timeline")).as(format).containsExactly("14");
      assertThat(query(out, format, "SELECT count(*) FROM timeline WHERE incident_id = '" + E + "'")).containsExactly("0");
      assertThat(query(out, format,
          "SELECT incident_id, episode, status, seconds_to_acknowledge, seconds_to_resolve, in_analytics, merged_into"
              + " FROM episodes ORDER BY incident_id, episode")).as(format).containsExactly(
          A + "|1|resolved|120.0|600.0|true|null",
          B + "|1|acknowledged|300.0|null|true|null",
          C + "|1|merged|null|null|false|" + A,
          D + "|1|resolved|null|300.0|true|null",
          D + "|2|acknowledged|60.0|null|true|null");
      assertThat(query(out, format,
          "SELECT day, service, severity, episodes, acknowledged, mean_seconds_to_acknowledge, resolved,"
              + " mean_seconds_to_resolve FROM analytics ORDER BY service")).as(format).containsExactly(
          "2026-06-15|checkout|critical|1|1|120.0|1|600.0",
          "2026-06-15|db|critical|2|1|60.0|1|300.0",
          "2026-06-15|orders|error|1|1|300.0|0|null");
      assertThat(query(out, format, "SELECT position, type, effect FROM timeline WHERE incident_id = '" + A + "' ORDER BY position"))
          .as(format).containsExactly(
              "1|quorum.incident.triggered|applied",
              "2|quorum.incident.acknowledged|applied",
              "3|quorum.incident.acknowledged|no_effect",
              "4|quorum.note.added|applied",
              "5|quorum.incident.resolved|applied");
      assertThat(query(out, format, "SELECT incident_id, episodes, events, events_without_effect, status FROM incidents"
          + " ORDER BY incident_id")).as(format).containsExactly(
          A + "|1|5|1|resolved", B + "|1|3|0|acknowledged", C + "|1|2|0|merged", D + "|2|4|0|acknowledged");
    }
    // And MTTA by service, the query the README shows, reads the Parquet files directly
    assertThat(query(out, "parquet", "SELECT service, round(avg(seconds_to_acknowledge), 1) FROM episodes"
        + " WHERE in_analytics GROUP BY service ORDER BY service"))
        .containsExactly("checkout|120.0", "db|60.0", "orders|300.0");
  }

  @Test
  void an_export_as_of_now_sees_everything_and_replaces_an_earlier_one_only_when_forced(@TempDir Path dir) throws Exception {
    // Given the known events, both batches, and an earlier export in the directory
    secondBatch(firstBatch());
    Path out = dir.resolve("export");
    assertThat(export(out, "--as-of", T0.toString()).exitCode()).isZero();
    String earlier = Files.readString(out.resolve("manifest.json"));

    // When an export as of now goes to the same directory without --force
    ExportCommandAccess.Run refused = export(out);

    // Then it is refused and the earlier export stands
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("already holds", "incidents.parquet", "--force");
    assertThat(Files.readString(out.resolve("manifest.json"))).isEqualTo(earlier);

    // When it is forced
    ExportCommandAccess.Run forced = export(out, "--force");

    // Then the export holds every event: B resolved 840 s after its trigger, and E
    assertThat(forced.exitCode()).as(forced.stderr()).isZero();
    assertThat(query(out, "parquet", "SELECT count(*) FROM incidents")).containsExactly("5");
    assertThat(query(out, "csv", "SELECT count(*) FROM timeline")).containsExactly("16");
    assertThat(query(out, "parquet", "SELECT status, seconds_to_resolve FROM episodes WHERE incident_id = '" + B + "'"))
        .containsExactly("resolved|840.0");
    assertThat(query(out, "csv", "SELECT service, resolved, mean_seconds_to_resolve FROM analytics ORDER BY service"))
        .containsExactly("checkout|1|600.0", "db|1|300.0", "orders|1|840.0", "web|0|null");
  }

  @Test
  void on_the_occurred_axis_an_export_holds_what_had_happened_by_the_instant(@TempDir Path dir) throws Exception {
    // Given the known events (each occurred one second before it was ingested)
    secondBatch(firstBatch());

    // When exported as of 500 s after T0 on the OCCURRED axis
    Path out = dir.resolve("export");
    ExportCommandAccess.Run run = export(out, "--as-of", T0.plusSeconds(500).toString(), "--axis", "occurred");

    // Then later actions are not in it: A is acknowledged, not yet resolved; D has one episode, resolved
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"axis\" : \"occurred\"");
    assertThat(query(out, "parquet", "SELECT incident_id, episode, status FROM episodes ORDER BY incident_id, episode"))
        .containsExactly(A + "|1|acknowledged", B + "|1|acknowledged", C + "|1|merged", D + "|1|resolved");
  }

  @Test
  void an_empty_log_exports_empty_tables_that_still_have_their_columns(@TempDir Path dir) throws Exception {
    // Given a database with no event, when it is exported
    Path out = dir.resolve("empty");
    ExportCommandAccess.Run run = export(out);

    // Then every file is there, without rows but with its columns
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("\"events\" : 0");
    for (String format : List.of("parquet", "csv")) {
      assertThat(query(out, format, "SELECT count(*) FROM timeline")).as(format).containsExactly("0");
      assertThat(query(out, format, "SELECT count(*) FROM (SELECT incident_id, seconds_to_acknowledge FROM episodes)"))
          .as(format).containsExactly("0");
    }
  }

  /** Runs {@code sql} in DuckDB over the export's files of one format, each table a view of its file. */
  static List<String> query(Path out, String format, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      for (String table : List.of("incidents", "episodes", "timeline", "analytics")) {
        String file = out.resolve(table + "." + format).toString().replace("'", "''");
        s.execute("CREATE VIEW " + table + " AS SELECT * FROM " + (format.equals("csv") ? "read_csv('" + file + "')" : "'" + file + "'"));
      }
      return DuckDbRows.lines(s, sql);
    }
  }
}
