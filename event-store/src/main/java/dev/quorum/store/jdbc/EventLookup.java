package dev.quorum.store.jdbc;

import dev.quorum.event.Event;
import dev.quorum.store.tx.TransactionRunner;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Reads one stored event by its id (the primary key): whether an accepted event has been stored yet. */
public final class EventLookup {
  private final TransactionRunner runner;

  public EventLookup(TransactionRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  public Optional<Event> find(UUID eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return runner.read("reading event " + eventId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + EventRows.COLUMNS + " FROM incident_event WHERE event_id = ?")) {
        select.setObject(1, eventId);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(EventRows.read(row)) : Optional.<Event>empty();
        }
      }
    });
  }
}
