package dev.quorum.export.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.export.domain.Column;
import dev.quorum.export.domain.Table;
import dev.quorum.export.duckdb.DuckDbSink.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DuckDbSinkTest {
  record Sample(String text, Integer number, Long big, Double ratio, Boolean flag, Instant at, LocalDate day) {}

  static final Table<Sample> SAMPLES = new Table<>("samples", List.of(
      new Column<>("text", "VARCHAR", Sample::text),
      new Column<>("number", "INTEGER", Sample::number),
      new Column<>("big", "BIGINT", Sample::big),
      new Column<>("ratio", "DOUBLE", Sample::ratio),
      new Column<>("flag", "BOOLEAN", Sample::flag),
      new Column<>("at", "TIMESTAMPTZ", Sample::at),
      new Column<>("day", "DATE", Sample::day)));

  @Test
  void rows_appended_come_back_from_the_parquet_and_csv_files_value_for_value(@TempDir Path dir) throws Exception {
    // Given a directory whose name holds a quote, and rows of every mapped type, nulls included
    Path out = Files.createDirectories(dir.resolve("it's here"));
    Instant at = Instant.parse("2026-06-15T02:14:07.123456Z");
    try (DuckDbSink sink = DuckDbSink.create(out.resolve(".work.duckdb"), List.of(SAMPLES))) {
      sink.append(SAMPLES, new Sample("a,\"b\"", 7, 1L << 40, 0.25, true, at, LocalDate.of(2026, 6, 15)));
      sink.append(SAMPLES, new Sample(null, null, null, null, null, null, null));

      // When the table is copied out
      List<Path> files = sink.copyOut(SAMPLES, out, List.of(Format.PARQUET, Format.CSV));
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("samples.parquet", "samples.csv");
      assertThat(sink.rows(SAMPLES)).isEqualTo(2);
    }

    // Then both files read back the same two rows, and the working database is gone
    assertThat(out.resolve(".work.duckdb")).doesNotExist();
    for (String file : List.of("samples.parquet", "samples.csv")) {
      List<String> rows = query("SELECT text, number, big, ratio, flag, epoch_us(CAST(\"at\" AS TIMESTAMPTZ)), CAST(day AS DATE)"
          + " FROM " + DuckDbSink.literal(out.resolve(file).toString()) + " ORDER BY number NULLS LAST");
      assertThat(rows).as(file).containsExactly(
          "a,\"b\"|7|1099511627776|0.25|true|" + java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, at) + "|2026-06-15",
          "null|null|null|null|null|null|null");
    }
    assertThat(Files.readString(out.resolve("samples.csv")).lines().findFirst()).contains("text,number,big,ratio,flag,at,day");
  }

  static List<String> query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      return DuckDbRows.lines(s, sql);
    }
  }
}
