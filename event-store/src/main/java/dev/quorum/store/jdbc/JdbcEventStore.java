package dev.quorum.store.jdbc;

import dev.quorum.event.Event;
import dev.quorum.event.Stored;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The event log on DSQL or PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} for the
 * events, an insert-once anchor per incident, and a read-back of the ids that were already stored.
 */
public final class JdbcEventStore implements EventStore {
  /** Incidents whose anchor this store has seen committed, at most this many (the most recent). */
  static final int KNOWN_ANCHORS = 100_000;

  private static final String FOLD_ORDER = " ORDER BY ingested_at, source_partition, source_offset, event_id";
  private static final Comparator<Incoming> BY_ID = Comparator.comparing(i -> i.event().id());
  private static final String INSERT_ANCHORS =
      "INSERT INTO incident (incident_id, first_event_id, first_seen_at, recorded_at)"
          + " SELECT i::uuid, e::uuid, timestamptz 'epoch' + f * interval '1 microsecond', now()"
          + " FROM unnest(?::text[], ?::text[], ?::int8[]) AS x(i, e, f) ON CONFLICT (incident_id) DO NOTHING";

  private final TransactionRunner runner;
  private final KnownAnchors anchored = new KnownAnchors(KNOWN_ANCHORS);

  public JdbcEventStore(TransactionRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /** A stored row read back for an id that was not new, against the batch's first delivery of that id. */
  private record Standing(Event event, boolean sameAsFirst) {}

  /**
   * The ids one insert stored, all at one recording time (the transaction's): every id of the batch when
   * {@code ids} is null, the usual first storing, which then needs no lookup per event.
   */
  private record Inserted(Instant recordedAt, Set<UUID> ids, int count) {
    boolean has(UUID id) {
      return ids == null || ids.contains(id);
    }
  }

  /** What one transaction wrote and read. */
  private record Written(Inserted inserted, Map<UUID, Standing> standing, List<UUID> anchored) {}

  /**
   * A batch laid out for its transaction: the first delivery of each id (the candidate; later ones compare against
   * what stands), its incidents whose anchor was not known then, and the insert's columns, ids in ascending order
   * (two PostgreSQL writers inserting overlapping ids wait on each other, never deadlock), as the arrays the
   * statement binds.
   */
  private record Laid(List<Incoming> batch, Map<UUID, Incoming> firsts, Set<UUID> unanchored, List<Incoming> sorted,
      EventRows.Columns columns) implements Prepared {}

  @Override
  public AppendResult append(List<Incoming> batch) {
    return append(prepare(batch));
  }

  @Override
  public Prepared prepare(List<Incoming> batch) {
    List<Incoming> copy = List.copyOf(batch);
    Map<UUID, Incoming> firsts = LinkedHashMap.newLinkedHashMap(copy.size());
    Set<UUID> incidents = new HashSet<>();
    for (Incoming incoming : copy) {
      firsts.putIfAbsent(incoming.event().id(), incoming);
      incidents.add(incoming.event().incidentId());
    }
    // EventStore.rowsModified, from the sets this needs anyway (its own two passes were a tenth of this thread)
    int rows = firsts.size() + incidents.size();
    if (rows > MAX_ROWS_PER_TRANSACTION) {
      throw new IllegalArgumentException("a batch of " + copy.size() + " events modifies " + rows
          + " rows, more than the " + MAX_ROWS_PER_TRANSACTION + " one transaction may");
    }
    // Incidents whose anchor this store has not seen stand yet, looked up once per incident rather than once per
    // event; the transactions before this batch may anchor some of them meanwhile: append looks again at these.
    Set<UUID> unanchored = new HashSet<>();
    for (UUID incident : incidents) {
      if (!anchored.contains(incident)) unanchored.add(incident);
    }
    List<Incoming> sorted = new ArrayList<>(firsts.values());
    sorted.sort(BY_ID);
    return new Laid(copy, firsts, unanchored, sorted, EventRows.columns(sorted));
  }

  @Override
  public AppendResult append(Prepared prepared) {
    Laid laid = prepared instanceof Laid own ? own : (Laid) prepare(prepared.batch());
    if (laid.batch().isEmpty()) return new AppendResult(List.of());
    Map<UUID, Incoming> firsts = laid.firsts();
    // Of the incidents not anchored when the batch was laid out, those still not known to be: the transactions
    // before it may have anchored some meanwhile. One that another transaction commits meanwhile is only inserted
    // again, ON CONFLICT DO NOTHING.
    Set<UUID> unanchored = new HashSet<>();
    for (UUID incident : laid.unanchored()) {
      if (!anchored.contains(incident)) unanchored.add(incident);
    }
    Written written = runner.write("appending " + laid.batch().size() + " events", connection -> {
      Inserted inserted = insertEvents(connection, laid);
      List<UUID> anchors = insertAnchors(connection, laid.sorted(), inserted, unanchored);
      if (inserted.count() == firsts.size()) return new Written(inserted, Map.of(), anchors);
      Set<UUID> missing = new HashSet<>(firsts.keySet());
      missing.removeIf(inserted::has);
      Map<UUID, Standing> standing = readBack(connection, missing, firsts);
      if (standing.size() != missing.size()) {
        // Neither inserted nor readable: the batch is not written; a fresh snapshot will see the row.
        missing.removeAll(standing.keySet());
        throw new RetryableStoreException("event " + missing.iterator().next()
            + " is neither in RETURNING nor in the read-back");
      }
      return new Written(inserted, standing, anchors);
    });
    anchored.addAll(written.anchored());
    // worked out where they are used: the transaction is over, and the thread that holds them has the next to run
    return AppendResult.deferred(() -> outcomes(laid.batch(), firsts, written));
  }

  private static List<Outcome> outcomes(List<Incoming> batch, Map<UUID, Incoming> firsts, Written written) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    // Only an id delivered more than once in the batch needs its stored event again.
    boolean once = firsts.size() == batch.size(); // no id twice in the batch: each delivery is its id's first
    Map<UUID, Event> storedNow = once ? null : new HashMap<>();
    for (Incoming incoming : batch) {
      UUID id = incoming.event().id();
      Incoming first = once ? incoming : firsts.get(id);
      Event standing;
      boolean sameAsFirst;
      if (written.inserted().has(id)) {
        Instant recordedAt = written.inserted().recordedAt();
        if (first == incoming) {
          standing = EventRows.asStored(first,
              new Stored(first.ingestedAt(), recordedAt, first.partition(), first.offset()));
          if (storedNow != null) storedNow.put(id, standing);
          outcomes.add(new Outcome.Inserted(incoming, standing));
          continue;
        }
        standing = storedNow.get(id);
        sameAsFirst = true;
      } else {
        Standing read = written.standing().get(id);
        standing = read.event();
        sameAsFirst = read.sameAsFirst();
      }
      boolean same = incoming == first || incoming.event().equals(first.event())
          ? sameAsFirst
          : EventCodec.sameContent(standing, incoming.event());
      outcomes.add(same ? new Outcome.Duplicate(incoming, standing) : new Outcome.Conflict(incoming, standing));
    }
    return outcomes;
  }

  /** Inserts the events in one statement; returns the ids that were new, with their recording time. */
  private static Inserted insertEvents(Connection connection, Laid laid) throws SQLException {
    List<Incoming> sorted = laid.sorted();
    UUID[] ids = new UUID[sorted.size()];
    int count = 0;
    Instant recordedAt = null;
    try (PreparedStatement insert = connection.prepareStatement(EventRows.INSERT_BATCH)) {
      laid.columns().bind(insert);
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          // one recording time per transaction (now()): read once, not converted again for every row
          if (recordedAt == null) recordedAt = EventRows.instant(rows, "recorded_at");
          ids[count++] = rows.getObject(1, UUID.class);
        }
      }
    }
    // each id of the batch at most once: as many rows back as ids sent means every one was new
    if (count == sorted.size()) return new Inserted(recordedAt, null, count);
    Set<UUID> inserted = HashSet.newHashSet(count);
    for (int i = 0; i < count; i++) inserted.add(ids[i]);
    return new Inserted(recordedAt, inserted, count);
  }

  /**
   * One anchor per incident that gained its first stored event in this batch; never updated after.
   * Only incidents of {@code unanchored} (whose anchor this store has not seen committed) are written.
   *
   * @return the incidents whose anchor stands once this transaction commits
   */
  private static List<UUID> insertAnchors(Connection connection, List<Incoming> sorted, Inserted inserted,
      Set<UUID> unanchored) throws SQLException {
    if (unanchored.isEmpty()) return List.of();
    Map<UUID, Incoming> firstPerIncident = new TreeMap<>();
    for (Incoming incoming : sorted) {
      UUID incident = incoming.event().incidentId();
      if (!unanchored.contains(incident) || !inserted.has(incoming.event().id())) continue;
      firstPerIncident.merge(incident, incoming,
          (a, b) -> EventRows.micros(b.ingestedAt()) < EventRows.micros(a.ingestedAt()) ? b : a);
    }
    if (firstPerIncident.isEmpty()) return List.of();
    int n = firstPerIncident.size();
    UUID[] incidents = new UUID[n];
    UUID[] events = new UUID[n];
    long[] firstSeen = new long[n];
    int k = 0;
    for (Incoming incoming : firstPerIncident.values()) {
      incidents[k] = incoming.event().incidentId();
      events[k] = incoming.event().id();
      firstSeen[k++] = EventRows.micros(incoming.ingestedAt());
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_ANCHORS)) {
      BinaryArrays.bind(insert, 1, BinaryArrays.uuidText(incidents));
      BinaryArrays.bind(insert, 2, BinaryArrays.uuidText(events));
      BinaryArrays.bind(insert, 3, BinaryArrays.int8(firstSeen));
      insert.executeUpdate();
    }
    return List.copyOf(firstPerIncident.keySet());
  }

  /**
   * Reads back the stored rows of ids that were not new. A row whose columns equal what the batch's
   * first delivery would store is that event as stored, without decoding it; any other row is decoded
   * and compared by content.
   */
  private static Map<UUID, Standing> readBack(Connection connection, Set<UUID> ids, Map<UUID, Incoming> firsts)
      throws SQLException {
    if (ids.isEmpty()) return Map.of();
    Map<UUID, Standing> stored = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(EventRows.SELECT_BY_IDS)) {
      EventRows.bindIds(select, ids);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          UUID id = rows.getObject("event_id", UUID.class);
          Incoming first = firsts.get(id);
          if (EventRows.sameColumns(rows, first)) {
            stored.put(id, new Standing(EventRows.asStored(first, EventRows.stored(rows)), true));
          } else {
            Event event = EventRows.read(rows);
            stored.put(id, new Standing(event, EventCodec.sameContent(event, first.event())));
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

  /**
   * Events recorded by {@code recordedBy} (inclusive) and, when {@code occurredBy} is given, that occurred by it,
   * ordered by incident and then in fold order, after {@code afterIncident}'s event {@code after} (both null: from
   * the first), at most {@code limit}: the scan behind an export, one incident's events after another's
   * (index {@code incident_event_fold_order}).
   */
  public List<Event> scanByIncident(UUID afterIncident, OrderKey after, Instant occurredBy, Instant recordedBy, int limit) {
    Objects.requireNonNull(recordedBy, "recordedBy");
    if ((afterIncident == null) != (after == null)) throw new IllegalArgumentException("give both afterIncident and after, or neither");
    if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
    List<Object> parameters = new ArrayList<>(List.of(EventRows.timestamp(recordedBy)));
    StringBuilder where = new StringBuilder(" WHERE recorded_at <= ?");
    if (occurredBy != null) {
      where.append(" AND occurred_at <= ?");
      parameters.add(EventRows.timestamp(occurredBy));
    }
    if (after != null) {
      where.append(" AND (incident_id, ingested_at, source_partition, source_offset, event_id) > (?, ?, ?, ?, ?)");
      parameters.addAll(List.of(afterIncident, EventRows.timestamp(after.ingestedAt()), after.partition(), after.offset(),
          after.eventId()));
    }
    parameters.add(limit);
    String sql = "SELECT " + EventRows.COLUMNS + " FROM incident_event" + where
        + " ORDER BY incident_id, ingested_at, source_partition, source_offset, event_id LIMIT ?";
    return runner.read("scanning the log by incident" + (after == null ? "" : " after " + afterIncident), connection ->
        query(connection, sql, parameters.toArray()));
  }

  /** How many events {@link #scanByIncident} finds in all: recorded by {@code recordedBy}, occurred by {@code occurredBy} if given. */
  public long countKnown(Instant occurredBy, Instant recordedBy) {
    Objects.requireNonNull(recordedBy, "recordedBy");
    String sql = "SELECT count(*) FROM incident_event WHERE recorded_at <= ?" + (occurredBy == null ? "" : " AND occurred_at <= ?");
    return runner.read("counting the log's events", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setObject(1, EventRows.timestamp(recordedBy));
        if (occurredBy != null) select.setObject(2, EventRows.timestamp(occurredBy));
        try (ResultSet rows = select.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    });
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
}
