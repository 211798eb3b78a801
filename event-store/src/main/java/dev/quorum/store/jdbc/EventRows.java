package dev.quorum.store.jdbc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.EventData;
import dev.quorum.event.codec.DecodeException;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.Stored;
import dev.quorum.store.Incoming;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Maps between events and rows of {@code incident_event}: the one place that knows the columns. */
final class EventRows {
  /** Every column, in the order {@link #read} expects. */
  static final String COLUMNS =
      "event_id, incident_id, type, source, actor, principal, occurred_at, ingested_at, recorded_at,"
          + " source_partition, source_offset, data";

  /**
   * Inserts a whole batch with one statement text, whatever its size, so that it is planned once: the
   * columns travel as arrays (binary where the driver can) and are unnested on the server. Times are
   * microseconds since the epoch. recorded_at is {@code now()}, the transaction's start: one recording
   * time for every row of a transaction, so that no RECORDED as-of answer shows half of it. Only the
   * ids that were new come back, with that time.
   */
  static final String INSERT_BATCH = "INSERT INTO incident_event (" + COLUMNS + ")"
      + " SELECT e::uuid, i::uuid, t, s, a, p, timestamptz 'epoch' + o * interval '1 microsecond',"
      + " timestamptz 'epoch' + g * interval '1 microsecond', now(), sp, so, d"
      + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[],"
      + " ?::int4[], ?::int8[], ?::text[]) AS x(e, i, t, s, a, p, o, g, sp, so, d)"
      + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id, recorded_at";

  /** Reads stored rows by id, one statement text for any number of ids. */
  static final String SELECT_BY_IDS = "SELECT " + COLUMNS + " FROM incident_event WHERE event_id = ANY(?::uuid[])";

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private EventRows() {}

  /**
   * The parameters of {@link #INSERT_BATCH} for some rows, in the binary form the server receives: made without a
   * connection, so that they are made before the transaction and off the thread that holds it, which then only
   * binds them.
   */
  record Columns(byte[] ids, byte[] incidents, byte[] types, byte[] sources, byte[] actors, byte[] principals,
      byte[] occurred, byte[] ingested, byte[] partitions, byte[] offsets, byte[] data) {

    /** Binds the parameters, in their order in {@link #INSERT_BATCH}. */
    void bind(PreparedStatement statement) throws SQLException {
      byte[][] columns = {ids, incidents, types, sources, actors, principals, occurred, ingested, partitions, offsets, data};
      for (int i = 0; i < columns.length; i++) BinaryArrays.bind(statement, i + 1, columns[i]);
    }
  }

  /** The parameters of {@link #INSERT_BATCH} for the rows. */
  static Columns columns(List<Incoming> rows) {
    int n = rows.size();
    UUID[] ids = new UUID[n];
    UUID[] incidents = new UUID[n];
    String[] types = new String[n];
    String[] sources = new String[n];
    String[] actors = new String[n];
    String[] principals = new String[n];
    long[] occurred = new long[n];
    long[] ingested = new long[n];
    int[] partitions = new int[n];
    long[] offsets = new long[n];
    byte[][] data = new byte[n][];
    for (int k = 0; k < n; k++) {
      Incoming incoming = rows.get(k);
      Event event = incoming.event();
      ids[k] = event.id();
      incidents[k] = event.incidentId();
      types[k] = event.type();
      sources[k] = event.source();
      actors[k] = event.actor();
      principals[k] = event.principal();
      occurred[k] = micros(event.occurredAt());
      ingested[k] = micros(incoming.ingestedAt());
      partitions[k] = incoming.partition();
      offsets[k] = incoming.offset();
      data[k] = incoming.dataColumn();
    }
    // ids as text written from their bits (a string and its encoding per id were a fifth of the database thread);
    // the data column, written as UTF-8 where the delivery was decoded, goes as it is
    return new Columns(BinaryArrays.uuidText(ids), BinaryArrays.uuidText(incidents), BinaryArrays.text(types),
        BinaryArrays.text(sources), BinaryArrays.text(actors), BinaryArrays.text(principals),
        BinaryArrays.int8(occurred), BinaryArrays.int8(ingested), BinaryArrays.int4(partitions),
        BinaryArrays.int8(offsets), BinaryArrays.text(data));
  }

  /** Binds ids as the one array parameter of {@link #SELECT_BY_IDS}. */
  static void bindIds(PreparedStatement statement, Collection<UUID> ids) throws SQLException {
    BinaryArrays.bind(statement, 1, BinaryArrays.uuidText(ids.toArray(UUID[]::new)));
  }

  /**
   * Whether a stored row holds exactly what {@code incoming} would store, comparing columns as
   * stored (the data column as text). True means
   * the same content; false only means the columns differ in form, and the decoded events must be
   * compared (a row stored by another build may spell the same data differently).
   */
  static boolean sameColumns(ResultSet row, Incoming incoming) throws SQLException {
    Event event = incoming.event();
    return event.type().equals(row.getString("type"))
        && event.incidentId().equals(row.getObject("incident_id", UUID.class))
        && event.source().equals(row.getString("source"))
        && event.actor().equals(row.getString("actor"))
        && Objects.equals(event.principal(), row.getString("principal"))
        && sameText(incoming.dataColumn(), row.getString("data"))
        && event.occurredAt().equals(instant(row, "occurred_at"));
  }

  /**
   * The event as a read of its row gives it, without reading the row: the delivered event with what
   * the pipeline fixed. Only the payload of an unknown type is taken from its stored text, so that its
   * numbers read back exactly as a read of the row does.
   */
  static Event asStored(Incoming incoming, Stored stored) {
    Event event = incoming.event();
    byte[] data = incoming.dataColumn();
    if (event.data() instanceof EventData.Unknown unknown) {
      event = new Event(event.id(), event.source(), event.incidentId(), event.occurredAt(), event.actor(),
          event.principal(), new EventData.Unknown(unknown.type(), data == null ? null : EventCodec.parse(data)), null);
    }
    return event.withStored(stored);
  }

  /** Whether UTF-8 {@code utf8} is the text {@code text} (both may be null). */
  static boolean sameText(byte[] utf8, String text) {
    if (utf8 == null || text == null) return utf8 == null && text == null;
    return java.util.Arrays.equals(utf8, text.getBytes(StandardCharsets.UTF_8));
  }

  /** What the pipeline fixed when the row was first stored. */
  static Stored stored(ResultSet row) throws SQLException {
    return new Stored(instant(row, "ingested_at"), instant(row, "recorded_at"), row.getInt("source_partition"),
        row.getLong("source_offset"));
  }

  static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /**
   * Reads a stored event back through the codec, so that a stored event is exactly what a consumer
   * of the committed topic decodes. A row this build cannot decode (an older build stored a type it
   * did not know, with data this build's decoder of that type refuses) is read as tolerantly as it
   * was stored (DESIGN §4): an unknown event of that type with its data verbatim, shown with no
   * effect. A stored row never fails a read.
   */
  static Event read(ResultSet row) throws SQLException {
    try {
      return decode(row);
    } catch (DecodeException e) {
      String data = row.getString("data");
      return new Event(row.getObject("event_id", UUID.class), row.getString("source"),
          row.getObject("incident_id", UUID.class), instant(row, "occurred_at"), row.getString("actor"),
          row.getString("principal"),
          new EventData.Unknown(row.getString("type"), data == null ? null : EventCodec.parse(data.getBytes(StandardCharsets.UTF_8))),
          stored(row));
    }
  }

  private static Event decode(ResultSet row) throws SQLException {
    ObjectNode envelope = NODES.objectNode();
    envelope.put("specversion", EventCodec.SPEC_VERSION);
    envelope.put("id", row.getObject("event_id", UUID.class).toString());
    envelope.put("subject", row.getObject("incident_id", UUID.class).toString());
    envelope.put("type", row.getString("type"));
    envelope.put("source", row.getString("source"));
    envelope.put("actor", row.getString("actor"));
    String principal = row.getString("principal");
    if (principal != null) envelope.put("principal", principal);
    envelope.put("time", instant(row, "occurred_at").toString());
    envelope.put("ingestedat", instant(row, "ingested_at").toString());
    envelope.put("recordedat", instant(row, "recorded_at").toString());
    envelope.put("sourcepartition", row.getInt("source_partition"));
    envelope.put("sourceoffset", row.getLong("source_offset"));
    String data = row.getString("data");
    if (data != null) envelope.set("data", EventCodec.parse(data.getBytes(StandardCharsets.UTF_8)));
    return EventCodec.fromTree(envelope);
  }

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    return row.getObject(column, OffsetDateTime.class).toInstant();
  }
}
