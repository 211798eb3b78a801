package dev.quorum.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.Severity;
import dev.quorum.export.cli.ExportCommandAccess;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;
import dev.quorum.store.Incoming;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.store.jdbc.JdbcEventStore;
import dev.quorum.store.migration.Migrator;
import dev.quorum.store.testing.Databases;
import dev.quorum.store.tx.RetryPolicy;
import dev.quorum.store.tx.TransactionRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A documented run, not part of the build (its name matches neither *Test nor *IT): 200,000 stored events over
 * 1,000 incidents of 20 episodes each, exported, then checked in DuckDB; prints the time and rate. Run it with
 * {@code ./mvnw -B -pl export -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ExportScaleRun
 * -Dfailsafe.failIfNoSpecifiedTests=false} (the output is in {@code export/target/failsafe-reports/}).
 */
@WithPostgres
class ExportScaleRun {
  private final PostgresDatabase database;

  ExportScaleRun(PostgresDatabase database) {
    this.database = database;
  }

  @Test
  void two_hundred_thousand_events_over_a_thousand_incidents(@TempDir Path dir) throws Exception {
    String url = Databases.freshSchemaUrl(database);
    DataSource dataSource = Databases.dataSource(database, url);
    TransactionRunner runner = new TransactionRunner(dataSource, RetryPolicy.DEFAULT, Duration.ofSeconds(60));
    new Migrator(dataSource, Dialect.POSTGRESQL, runner).migrate();
    JdbcEventStore store = new JdbcEventStore(runner);
    int incidents = 1_000, perIncident = 200;
    Instant t0 = Instant.parse("2026-06-15T00:00:00Z");
    long offset = 0;
    List<Incoming> batch = new ArrayList<>();
    long t = System.nanoTime();
    for (int i = 0; i < incidents; i++) {
      UUID id = UUID.randomUUID();
      for (int k = 0; k < perIncident; k++) {
        EventData data = switch (k % 10) {
          case 0 -> new EventData.IncidentTriggered("t" + i, "svc" + (i % 7), Severity.CRITICAL, null);
          case 2 -> new EventData.IncidentAcknowledged();
          case 9 -> new EventData.IncidentResolved(null);
          default -> new EventData.NoteAdded("note " + k);
        };
        Instant at = t0.plusSeconds(i * 10L + k * 60L);
        batch.add(new Incoming(Event.of(UUID.randomUUID(), "bench", id, at, "user:x", data), at, i % 6, offset++));
        if (batch.size() == 2_500) {
          store.append(batch);
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) store.append(batch);
    System.out.printf("SCALE stored %,d events in %.1f s%n", offset, (System.nanoTime() - t) / 1e9);
    t = System.nanoTime();
    Path out = dir.resolve("scale");
    ExportCommandAccess.Run run = ExportCommandAccess.run("--out", out.toString(), "--db-url", url,
        "-D", "db.username=" + database.username(), "-D", "db.password=" + database.password());
    double s = (System.nanoTime() - t) / 1e9;
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    System.out.printf("SCALE exported %,d events in %.1f s: %,.0f events/s%n%s%n", offset, s, offset / s, run.stderr());
    assertThat(ExportIT.query(out, "parquet", "SELECT count(*) FROM incidents")).containsExactly("1000");
    assertThat(ExportIT.query(out, "parquet", "SELECT count(*), count(seconds_to_acknowledge) FROM episodes"))
        .containsExactly("20000|20000");
    assertThat(ExportIT.query(out, "parquet", "SELECT count(*) FROM timeline")).containsExactly("200000");
    assertThat(ExportIT.query(out, "csv", "SELECT sum(episodes), sum(acknowledged), sum(resolved) FROM analytics"))
        .containsExactly("20000|20000|20000");
  }
}
