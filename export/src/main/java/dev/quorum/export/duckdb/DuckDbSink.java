package dev.quorum.export.duckdb;

import dev.quorum.export.domain.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The export's working database: an embedded DuckDB in a file of its own (so that a large export spills to
 * disk rather than memory), whose tables take rows through DuckDB's appender and are then copied out as
 * Parquet and CSV files. Closing it removes the working file.
 */
public final class DuckDbSink implements AutoCloseable {
  /** The formats every table is written in, with the options of DuckDB's {@code COPY}. */
  public enum Format {
    PARQUET("parquet", "(FORMAT parquet, COMPRESSION zstd)"),
    CSV("csv", "(FORMAT csv, HEADER true)");

    final String extension;
    final String options;

    Format(String extension, String options) {
      this.extension = extension;
      this.options = options;
    }

    public String fileName(Table<?> table) {
      return table.name() + "." + extension;
    }
  }

  private final Path workFile;
  private final DuckDBConnection connection;
  private final Map<String, DuckDBAppender> appenders = new LinkedHashMap<>();
  private final Map<String, Long> rows = new LinkedHashMap<>();

  private DuckDbSink(Path workFile, DuckDBConnection connection) {
    this.workFile = workFile;
    this.connection = connection;
  }

  /** A working database in {@code workFile} (replaced if it exists) with the given tables, empty. */
  public static DuckDbSink create(Path workFile, List<Table<?>> tables) throws SQLException, IOException {
    deleteWorkFiles(workFile);
    Connection plain = DriverManager.getConnection("jdbc:duckdb:" + workFile.toAbsolutePath());
    DuckDbSink sink = new DuckDbSink(workFile, plain.unwrap(DuckDBConnection.class));
    try (Statement statement = plain.createStatement()) {
      // Parquet, CSV and time zones are built into the driver: never fetch an extension from the network
      statement.execute("SET autoinstall_known_extensions = false");
      // CSV files show times in UTC, as every other output of Quorum does
      statement.execute("SET TimeZone = 'UTC'");
      for (Table<?> table : tables) {
        statement.execute(table.createStatement());
        sink.rows.put(table.name(), 0L);
      }
    } catch (SQLException e) {
      sink.close();
      throw e;
    }
    return sink;
  }

  /** Appends one row to a table. */
  public <R> void append(Table<R> table, R row) throws SQLException {
    DuckDBAppender appender = appenders.get(table.name());
    if (appender == null) {
      appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.name());
      appenders.put(table.name(), appender);
    }
    appender.beginRow();
    for (Object value : table.values(row)) put(appender, value);
    appender.endRow();
    rows.merge(table.name(), 1L, Long::sum);
  }

  /** The rows appended to a table so far. */
  public long rows(Table<?> table) {
    return rows.getOrDefault(table.name(), 0L);
  }

  /** Writes a table to {@code directory} in each format; returns the files written, in order. */
  public List<Path> copyOut(Table<?> table, Path directory, List<Format> formats) throws SQLException {
    flush();
    List<Path> written = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      for (Format format : formats) {
        Path file = directory.resolve(format.fileName(table)).toAbsolutePath();
        // COPY takes no parameter for its file name: the path is a quoted literal, and the table name is ours
        statement.execute("COPY " + Table.quoted(table.name()) + " TO " + literal(file.toString()) + " " + format.options);
        written.add(file);
      }
    }
    return written;
  }

  private void flush() throws SQLException {
    for (DuckDBAppender appender : appenders.values()) appender.close();
    appenders.clear();
  }

  /** Removes the working file (and DuckDB's write-ahead log beside it). */
  @Override
  public void close() throws SQLException {
    try {
      flush();
    } finally {
      connection.close();
      try {
        deleteWorkFiles(workFile);
      } catch (IOException e) {
        throw new SQLException("could not remove the working database " + workFile, e);
      }
    }
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static void deleteWorkFiles(Path workFile) throws IOException {
    Files.deleteIfExists(workFile);
    Files.deleteIfExists(workFile.resolveSibling(workFile.getFileName() + ".wal"));
  }

  private static void put(DuckDBAppender appender, Object value) throws SQLException {
    switch (value) {
      case null -> appender.appendNull();
      case String s -> appender.append(s);
      case Integer i -> appender.append(i.intValue());
      case Long l -> appender.append(l.longValue());
      case Double d -> appender.append(d.doubleValue());
      case Boolean b -> appender.append(b.booleanValue());
      case Instant t -> appender.appendEpochMicros(ChronoUnit.MICROS.between(Instant.EPOCH, t));
      case LocalDate d -> appender.append(d);
      default -> throw new IllegalArgumentException("no DuckDB mapping for a " + value.getClass().getName());
    }
  }
}
