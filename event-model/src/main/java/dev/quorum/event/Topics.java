package dev.quorum.event;

import java.util.UUID;

/** The topic names and the key rule, in one place. */
public final class Topics {
  /** Responder actions and signals as published; LogAppendTime. */
  public static final String ACTIONS = "quorum.actions.v1";
  /** Events whose database commit succeeded, as stored. Keyed by incident, not compacted. */
  public static final String COMMITTED = "quorum.events.committed.v1";
  /** Records that could not be stored as produced, with the reason in headers. */
  public static final String DLQ = "quorum.actions.dlq.v1";
  /** The latest state of every incident (compacted), for analytics consumers. */
  public static final String INCIDENTS = "quorum.incidents.v1";

  /** Dead-letter header names. */
  public static final class DlqHeaders {
    public static final String ERROR_CLASS = "quorum.error.class";
    public static final String ERROR_MESSAGE = "quorum.error.message";
    public static final String ERROR_REASON = "quorum.error.reason";
    public static final String SQLSTATE = "quorum.error.sqlstate";
    public static final String ORIGINAL_TOPIC = "quorum.original.topic";
    public static final String ORIGINAL_PARTITION = "quorum.original.partition";
    public static final String ORIGINAL_OFFSET = "quorum.original.offset";
    public static final String ORIGINAL_TIMESTAMP = "quorum.original.timestamp";

    private DlqHeaders() {}
  }

  private Topics() {}

  /** Key everywhere = incident id, so one incident's events stay in one partition. */
  public static String key(Event event) {
    return key(event.incidentId());
  }

  /** The key of an incident's events. */
  public static String key(UUID incidentId) {
    return incidentId.toString();
  }
}
