package dev.quorum.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.store.Incoming;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Maps between events and rows of {@code incident_event}: the one place that knows the columns. */
final class EventRows {
  /** Every column, in the order {@link #read} expects. */
  static final String COLUMNS =
      "event_id, incident_id, type, source, actor, principal, occurred_at, ingested_at, recorded_at,"
          + " source_partition, source_offset, data";

  /** The placeholders of one row to insert; recorded_at is the storing statement's time. */
  static final String INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, statement_timestamp(), ?, ?, ?)";
  static final int INSERT_PARAMETERS = 11;

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private EventRows() {}

  /** Binds one event's columns (all but recorded_at) from parameter {@code first} on. */
  static void bind(PreparedStatement statement, int first, Incoming incoming) throws SQLException {
    Event event = incoming.event();
    int i = first;
    statement.setObject(i++, event.id());
    statement.setObject(i++, event.incidentId());
    statement.setString(i++, event.type());
    statement.setString(i++, event.source());
    statement.setString(i++, event.actor());
    statement.setString(i++, event.principal());
    statement.setObject(i++, timestamp(event.occurredAt()));
    statement.setObject(i++, timestamp(incoming.ingestedAt()));
    statement.setInt(i++, incoming.partition());
    statement.setLong(i++, incoming.offset());
    JsonNode data = EventCodec.dataTree(event.data());
    statement.setString(i, data == null ? null : data.toString());
  }

  /**
   * Reads a stored event back through the codec, so that a stored event is exactly what a consumer
   * of the committed topic decodes.
   */
  static Event read(ResultSet row) throws SQLException {
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

  private static Instant instant(ResultSet row, String column) throws SQLException {
    return row.getObject(column, OffsetDateTime.class).toInstant();
  }
}
