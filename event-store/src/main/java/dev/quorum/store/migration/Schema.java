package dev.quorum.store.migration;

import java.util.List;

/**
 * The event log's schema (DESIGN §6) as an ordered list of migrations.
 *
 * <p>No row is updated by every write: events are inserted once, and an incident's anchor row is
 * inserted once by its first event and never touched again.
 */
public final class Schema {
  public static final String EVENT_TABLE = "incident_event";
  public static final String INCIDENT_TABLE = "incident";
  public static final String HISTORY_TABLE = "schema_migration";

  /** Every migration, in order; append only, never edit one that has shipped. */
  public static final List<Migration> MIGRATIONS = List.of(
      Migration.of(1, "the append-only event log",
          """
          CREATE TABLE IF NOT EXISTS incident_event (
            event_id uuid PRIMARY KEY,
            incident_id uuid NOT NULL,
            type text NOT NULL,
            source text NOT NULL,
            actor text NOT NULL,
            principal text,
            occurred_at timestamptz NOT NULL,
            ingested_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL,
            source_partition integer NOT NULL,
            source_offset bigint NOT NULL,
            data text
          )"""),
      Migration.of(2, "the insert-once incident anchor",
          """
          CREATE TABLE IF NOT EXISTS incident (
            incident_id uuid PRIMARY KEY,
            first_event_id uuid NOT NULL,
            first_seen_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL
          )"""),
      Migration.index(3, "incident_event_fold_order", EVENT_TABLE,
          "incident_id, ingested_at, source_partition, source_offset, event_id"),
      Migration.index(4, "incident_event_recorded", EVENT_TABLE, "recorded_at, event_id"),
      Migration.index(5, "incident_first_seen", INCIDENT_TABLE, "first_seen_at, incident_id"),
      Migration.index(6, "incident_event_ingested", EVENT_TABLE,
          "ingested_at, source_partition, source_offset, event_id"));

  private Schema() {}
}
