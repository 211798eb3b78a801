package dev.quorum.store.jdbc;

import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Axis;
import dev.quorum.event.fold.OrderKey;
import dev.quorum.store.AppendResult;
import dev.quorum.store.EventStore;
import dev.quorum.store.Incoming;
import dev.quorum.store.Outcome;
import dev.quorum.store.Page;
import dev.quorum.store.Position;
import dev.quorum.store.tx.RetryableStoreException;
import dev.quorum.store.tx.TransactionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The event log on DSQL or PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} for the
 * events, an insert-once anchor per incident, and a read-back of the ids that were already stored.
 */
public final class JdbcEventStore implements EventStore {
  /** Rows per INSERT statement: well under PostgreSQL's 65,535 bind parameters. */
  static final int ROWS_PER_STATEMENT = 500;

  private static final String FOLD_ORDER = " ORDER BY ingested_at, source_partition, source_offset, event_id";
  private static final Comparator<Incoming> BY_ID = Comparator.comparing(i -> i.event().id());

  private final TransactionRunner runner;

  public JdbcEventStore(TransactionRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public AppendResult append(List<Incoming> batch) {
    if (batch.isEmpty()) return new AppendResult(List.of());
    int rows = EventStore.rowsModified(batch);
    if (rows > MAX_ROWS_PER_TRANSACTION) {
      throw new IllegalArgumentException("a batch of " + batch.size() + " events modifies " + rows
          + " rows, more than the " + MAX_ROWS_PER_TRANSACTION + " one transaction may");
    }
    // The first delivery of an id in the batch is the candidate; later ones compare against what stands.
    Map<UUID, Incoming> firsts = new LinkedHashMap<>();
    for (Incoming incoming : batch) firsts.putIfAbsent(incoming.event().id(), incoming);
    return runner.write("appending " + batch.size() + " events", connection -> {
      Map<UUID, Event> inserted = insertEvents(connection, firsts.values());
      insertAnchors(connection, firsts.values(), inserted);
      Set<UUID> missing = new HashSet<>(firsts.keySet());
      missing.removeAll(inserted.keySet());
      Map<UUID, Event> stored = new HashMap<>(inserted);
      stored.putAll(readBack(connection, missing));
      return outcomes(batch, firsts, inserted, stored);
    });
  }

  private static AppendResult outcomes(
      List<Incoming> batch, Map<UUID, Incoming> firsts, Map<UUID, Event> inserted, Map<UUID, Event> stored) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Incoming incoming : batch) {
      UUID id = incoming.event().id();
      Event standing = stored.get(id);
      if (standing == null) {
        // Neither inserted nor readable: the batch is not written; a fresh snapshot will see the row.
        throw new RetryableStoreException("event " + id + " is neither in RETURNING nor in the read-back");
      }
      if (inserted.containsKey(id) && firsts.get(id) == incoming) {
        outcomes.add(new Outcome.Inserted(incoming, standing));
      } else if (EventCodec.sameContent(standing, incoming.event())) {
        outcomes.add(new Outcome.Duplicate(incoming, standing));
      } else {
        outcomes.add(new Outcome.Conflict(incoming, standing));
      }
    }
    return new AppendResult(outcomes);
  }

  private static Map<UUID, Event> insertEvents(Connection connection, Collection<Incoming> events) throws SQLException {
    // Ascending keys: two PostgreSQL writers inserting overlapping ids wait on each other, never deadlock.
    List<Incoming> sorted = events.stream().sorted(BY_ID).toList();
    Map<UUID, Event> inserted = new HashMap<>();
    for (List<Incoming> chunk : chunks(sorted, ROWS_PER_STATEMENT)) {
      String sql = "INSERT INTO incident_event (" + EventRows.COLUMNS + ") VALUES "
          + String.join(", ", Collections.nCopies(chunk.size(), EventRows.INSERT_ROW))
          + " ON CONFLICT (event_id) DO NOTHING RETURNING " + EventRows.COLUMNS;
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        int parameter = 1;
        for (Incoming incoming : chunk) {
          EventRows.bind(insert, parameter, incoming);
          parameter += EventRows.INSERT_PARAMETERS;
        }
        try (ResultSet rows = insert.executeQuery()) {
          while (rows.next()) {
            Event event = EventRows.read(rows);
            inserted.put(event.id(), event);
          }
        }
      }
    }
    return inserted;
  }

  /** One anchor per incident that gained its first stored event in this batch; never updated after. */
  private static void insertAnchors(Connection connection, Collection<Incoming> firsts, Map<UUID, Event> inserted)
      throws SQLException {
    Map<UUID, Event> firstPerIncident = new LinkedHashMap<>();
    for (Incoming incoming : firsts) {
      Event event = inserted.get(incoming.event().id());
      if (event != null) firstPerIncident.putIfAbsent(event.incidentId(), event);
    }
    List<Event> anchors = firstPerIncident.values().stream().sorted(Comparator.comparing(Event::incidentId)).toList();
    for (List<Event> chunk : chunks(anchors, ROWS_PER_STATEMENT)) {
      String sql = "INSERT INTO incident (incident_id, first_event_id, first_seen_at, recorded_at) VALUES "
          + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, statement_timestamp())"))
          + " ON CONFLICT (incident_id) DO NOTHING";
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        int parameter = 1;
        for (Event event : chunk) {
          insert.setObject(parameter++, event.incidentId());
          insert.setObject(parameter++, event.id());
          insert.setObject(parameter++, EventRows.timestamp(event.stored().ingestedAt()));
        }
        insert.executeUpdate();
      }
    }
  }

  private static Map<UUID, Event> readBack(Connection connection, Set<UUID> ids) throws SQLException {
    Map<UUID, Event> stored = new HashMap<>();
    for (List<UUID> chunk : chunks(List.copyOf(ids), ROWS_PER_STATEMENT)) {
      String sql = "SELECT " + EventRows.COLUMNS + " FROM incident_event WHERE event_id IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) select.setObject(i + 1, chunk.get(i));
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            Event event = EventRows.read(rows);
            stored.put(event.id(), event);
          }
        }
      }
    }
    return stored;
  }

  @Override
  public List<Event> events(UUID incidentId) {
    Objects.requireNonNull(incidentId, "incidentId");
    return runner.read("reading incident " + incidentId, connection ->
        query(connection, "SELECT " + EventRows.COLUMNS + " FROM incident_event WHERE incident_id = ?" + FOLD_ORDER,
            incidentId));
  }

  @Override
  public List<Event> eventsAsOf(UUID incidentId, Axis axis, Instant asOf) {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(axis, "axis");
    Objects.requireNonNull(asOf, "asOf");
    String column = switch (axis) {
      case OCCURRED -> "occurred_at";
      case RECORDED -> "recorded_at";
    };
    return runner.read("reading incident " + incidentId + " as of " + asOf + " (" + axis + ")", connection ->
        query(connection, "SELECT " + EventRows.COLUMNS + " FROM incident_event WHERE incident_id = ? AND "
            + column + " <= ?" + FOLD_ORDER, incidentId, EventRows.timestamp(asOf)));
  }

  @Override
  public Page scan(Position after, Instant until, int limit) {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(until, "until");
    if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
    List<Event> events = runner.read("scanning the log after " + after, connection ->
        query(connection, "SELECT " + EventRows.COLUMNS + " FROM incident_event"
                + " WHERE (recorded_at > ? OR (recorded_at = ? AND event_id > ?)) AND recorded_at < ?"
                + " ORDER BY recorded_at, event_id LIMIT ?",
            EventRows.timestamp(after.recordedAt()), EventRows.timestamp(after.recordedAt()), after.eventId(),
            EventRows.timestamp(until), limit));
    if (events.isEmpty()) return new Page(events, after, true);
    Event last = events.getLast();
    return new Page(events, new Position(last.stored().recordedAt(), last.id()), events.size() < limit);
  }

  /**
   * Events recorded in {@code [recordedFrom, recordedUntil)} in fold order (ingestedAt, source partition,
   * source offset, event id) after {@code after} (null: from the first), at most {@code limit}: the scan
   * behind rebuild and replay. In fold order every event of an incident sorts after those sent before it,
   * whatever transactions or statements stored them and whatever recording times they share, so the
   * projection applies a rebuild incrementally. Scan only up to a settled instant (see {@link #scan}).
   */
  public List<Event> scanInFoldOrder(OrderKey after, Instant recordedFrom, Instant recordedUntil, int limit) {
    Objects.requireNonNull(recordedFrom, "recordedFrom");
    Objects.requireNonNull(recordedUntil, "recordedUntil");
    if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
    // The broker appends before the database records, so ingested_at < recordedUntil bounds the index range too.
    String where = " WHERE recorded_at >= ? AND recorded_at < ? AND ingested_at < ?";
    if (after == null) {
      return runner.read("scanning the log in fold order", connection ->
          query(connection, "SELECT " + EventRows.COLUMNS + " FROM incident_event" + where + FOLD_ORDER + " LIMIT ?",
              EventRows.timestamp(recordedFrom), EventRows.timestamp(recordedUntil), EventRows.timestamp(recordedUntil),
              limit));
    }
    return runner.read("scanning the log in fold order after " + after, connection ->
        query(connection, "SELECT " + EventRows.COLUMNS + " FROM incident_event" + where
                + " AND (ingested_at, source_partition, source_offset, event_id) > (?, ?, ?, ?)" + FOLD_ORDER + " LIMIT ?",
            EventRows.timestamp(recordedFrom), EventRows.timestamp(recordedUntil), EventRows.timestamp(recordedUntil),
            EventRows.timestamp(after.ingestedAt()), after.partition(), after.offset(), after.eventId(), limit));
  }

  private static List<Event> query(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) select.setObject(i + 1, parameters[i]);
      List<Event> events = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) events.add(EventRows.read(rows));
      }
      return events;
    }
  }

  private static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      chunks.add(items.subList(from, Math.min(items.size(), from + size)));
    }
    return chunks;
  }
}
