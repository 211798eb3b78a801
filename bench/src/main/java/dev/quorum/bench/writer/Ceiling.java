package dev.quorum.bench.writer;

import dev.quorum.kit.console.Progress;
import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import dev.quorum.store.jdbc.BinaryArrays;
import java.nio.charset.StandardCharsets;
import org.postgresql.PGConnection;

/**
 * The database's ceiling for the writer's table: the fastest plain JDBC paths we can write into
 * {@code incident_event} (same table, same indexes, one connection, one transaction per batch,
 * {@code ON CONFLICT (event_id) DO NOTHING}), with every column value prepared before the clock starts.
 */
public final class Ceiling {
  /** A way of inserting one batch. */
  public enum Method { MULTI_ROW_VALUES, UNNEST, COPY_THEN_INSERT }

  private static final String COLUMNS = "event_id, incident_id, type, source, actor, principal, occurred_at,"
      + " ingested_at, recorded_at, source_partition, source_offset, data";

  /** The column values of one row, computed up front. */
  record Row(UUID id, UUID incident, String type, String source, String actor, String principal,
      OffsetDateTime occurred, OffsetDateTime ingested, int partition, long offset, String data, byte[] dataUtf8) {}

  private Ceiling() {}

  /** Prepares the rows of the given encoded events: decode, data text, times. */
  public static List<Row> rows(List<byte[]> encoded, int partitions) {
    List<Row> rows = new ArrayList<>(encoded.size());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int i = 0; i < encoded.size(); i++) {
      Event e = EventCodec.decode(encoded.get(i));
      var data = EventCodec.dataTree(e.data());
      String text = data == null ? null : data.toString();
      rows.add(new Row(e.id(), e.incidentId(), e.type(), e.source(), e.actor(), e.principal(),
          e.occurredAt().atOffset(ZoneOffset.UTC), now, i % partitions, i / partitions,
          text, text == null ? null : text.getBytes(StandardCharsets.UTF_8)));
    }
    return rows;
  }

  /** Inserts every row in batches of {@code batchSize}; returns rows per second. */
  public static double run(DataSource dataSource, Method method, List<Row> rows, int batchSize) throws SQLException {
    Progress progress = Progress.onStandardError("ceiling " + method.name().toLowerCase(), rows.size());
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      Inserter inserter = switch (method) {
        case MULTI_ROW_VALUES -> new Values(connection);
        case UNNEST -> new Unnest(connection);
        case COPY_THEN_INSERT -> new CopyInsert(connection);
      };
      long start = System.nanoTime();
      for (int from = 0; from < rows.size(); from += batchSize) {
        inserter.insert(rows.subList(from, Math.min(rows.size(), from + batchSize)));
        connection.commit();
        progress.update(Math.min(rows.size(), from + batchSize));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.done(rows.size());
      inserter.close();
      return rows.size() / seconds;
    }
  }

  private interface Inserter {
    void insert(List<Row> batch) throws SQLException;

    default void close() throws SQLException {}
  }

  /** Multi-row VALUES, one statement text per batch size (so each is planned once). */
  private static final class Values implements Inserter {
    private final Connection connection;
    private PreparedStatement statement;
    private int statementRows = -1;

    Values(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void insert(List<Row> batch) throws SQLException {
      if (batch.size() != statementRows) {
        if (statement != null) statement.close();
        statement = connection.prepareStatement("INSERT INTO incident_event (" + COLUMNS + ") VALUES "
            + String.join(", ", Collections.nCopies(batch.size(), "(?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)"))
            + " ON CONFLICT (event_id) DO NOTHING");
        statementRows = batch.size();
      }
      int p = 1;
      for (Row r : batch) {
        statement.setObject(p++, r.id());
        statement.setObject(p++, r.incident());
        statement.setString(p++, r.type());
        statement.setString(p++, r.source());
        statement.setString(p++, r.actor());
        statement.setString(p++, r.principal());
        statement.setObject(p++, r.occurred());
        statement.setObject(p++, r.ingested());
        statement.setInt(p++, r.partition());
        statement.setLong(p++, r.offset());
        statement.setString(p++, r.data());
      }
      statement.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
      if (statement != null) statement.close();
    }
  }

  /**
   * One statement text for every batch size: the columns as binary arrays made as the writer makes them (ids as
   * text from their bits, times as microseconds, numbers as int4/int8, the data column from its UTF-8 bytes),
   * unnested on the server. The arrays are made per batch in the timed loop, as a plain JDBC program does.
   */
  private static final class Unnest implements Inserter {
    private final PreparedStatement statement;

    Unnest(Connection connection) throws SQLException {
      this.statement = connection.prepareStatement("INSERT INTO incident_event (" + COLUMNS + ")"
          + " SELECT e::uuid, i::uuid, t, s, a, p, timestamptz 'epoch' + o * interval '1 microsecond',"
          + " timestamptz 'epoch' + g * interval '1 microsecond', now(), sp, so, d"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[],"
          + " ?::int4[], ?::int8[], ?::text[]) AS x(e, i, t, s, a, p, o, g, sp, so, d)"
          + " ON CONFLICT (event_id) DO NOTHING");
    }

    @Override
    public void insert(List<Row> batch) throws SQLException {
      int n = batch.size();
      UUID[] ids = new UUID[n];
      UUID[] incidents = new UUID[n];
      String[][] text = new String[4][n];
      byte[][] data = new byte[n][];
      long[] occurred = new long[n];
      long[] ingested = new long[n];
      int[] partitions = new int[n];
      long[] offsets = new long[n];
      for (int k = 0; k < n; k++) {
        Row r = batch.get(k);
        ids[k] = r.id();
        incidents[k] = r.incident();
        text[0][k] = r.type();
        text[1][k] = r.source();
        text[2][k] = r.actor();
        text[3][k] = r.principal();
        data[k] = r.dataUtf8();
        occurred[k] = micros(r.occurred());
        ingested[k] = micros(r.ingested());
        partitions[k] = r.partition();
        offsets[k] = r.offset();
      }
      // every column in the binary form the server receives, made the fastest way this project knows (the writer's)
      BinaryArrays.bind(statement, 1, BinaryArrays.uuidText(ids));
      BinaryArrays.bind(statement, 2, BinaryArrays.uuidText(incidents));
      for (int c = 0; c < 4; c++) BinaryArrays.bind(statement, c + 3, BinaryArrays.text(text[c]));
      BinaryArrays.bind(statement, 7, BinaryArrays.int8(occurred));
      BinaryArrays.bind(statement, 8, BinaryArrays.int8(ingested));
      BinaryArrays.bind(statement, 9, BinaryArrays.int4(partitions));
      BinaryArrays.bind(statement, 10, BinaryArrays.int8(offsets));
      BinaryArrays.bind(statement, 11, BinaryArrays.text(data));
      statement.executeUpdate();
    }

    private static long micros(OffsetDateTime time) {
      return time.toEpochSecond() * 1_000_000L + time.getNano() / 1_000;
    }

    @Override
    public void close() throws SQLException {
      statement.close();
    }
  }

  /** COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT (PostgreSQL only: DSQL has neither). */
  private static final class CopyInsert implements Inserter {
    private final Connection connection;

    CopyInsert(Connection connection) throws SQLException {
      this.connection = connection;
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("CREATE TEMPORARY TABLE staging (event_id uuid, incident_id uuid, type text, source text, actor text,"
            + " principal text, occurred_at timestamptz, ingested_at timestamptz, source_partition int,"
            + " source_offset bigint, data text) ON COMMIT DELETE ROWS");
      }
      connection.commit();
    }

    @Override
    public void insert(List<Row> batch) throws SQLException {
      StringBuilder text = new StringBuilder(batch.size() * 700);
      for (Row r : batch) {
        text.append(r.id()).append('\t').append(r.incident()).append('\t');
        escaped(text, r.type()).append('\t');
        escaped(text, r.source()).append('\t');
        escaped(text, r.actor()).append('\t');
        escaped(text, r.principal()).append('\t');
        text.append(r.occurred()).append('\t').append(r.ingested()).append('\t');
        text.append(r.partition()).append('\t').append(r.offset()).append('\t');
        escaped(text, r.data()).append('\n');
      }
      try {
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
            "COPY staging FROM STDIN", new StringReader(text.toString()));
      } catch (IOException e) {
        throw new SQLException(e);
      }
      try (Statement insert = connection.createStatement()) {
        insert.executeUpdate("INSERT INTO incident_event (" + COLUMNS + ") SELECT event_id, incident_id, type, source,"
            + " actor, principal, occurred_at, ingested_at, now(), source_partition, source_offset, data FROM staging"
            + " ON CONFLICT (event_id) DO NOTHING");
      }
    }

    private static StringBuilder escaped(StringBuilder out, String value) {
      if (value == null) return out.append("\\N");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '\\' -> out.append("\\\\");
          case '\t' -> out.append("\\t");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          default -> out.append(c);
        }
      }
      return out;
    }
  }
}
