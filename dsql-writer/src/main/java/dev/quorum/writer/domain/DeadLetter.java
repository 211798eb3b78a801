package dev.quorum.writer.domain;

import java.util.Objects;

/**
 * A record that was not stored as produced, and why: it goes to the dead-letter topic with the
 * reason in headers.
 *
 * @param reason a stable, machine-readable reason, see {@link Reason}
 * @param errorClass the class of the error that refused it
 * @param message a human-readable message naming the field or the stored event
 * @param sqlState the SQLSTATE when the database refused it, else null
 */
public record DeadLetter(Delivery delivery, Reason reason, String errorClass, String message, String sqlState) {

  /** Why a record went to the dead-letter topic. */
  public enum Reason {
    /** Not a valid CloudEvents envelope (bad JSON, missing or malformed attributes). */
    MALFORMED_ENVELOPE("malformed-envelope"),
    /** A known type whose data does not validate. */
    INVALID_DATA("invalid-data"),
    /** Reuses a stored event id with different content: the stored event stands. */
    CONFLICTING_DUPLICATE("conflicting-duplicate"),
    /** The database refused the record's values (isolated by splitting the batch). */
    REJECTED_BY_DATABASE("rejected-by-database"),
    /** Stored, but Kafka refused its committed record (too large for the committed topic): not published. */
    REJECTED_BY_KAFKA("rejected-by-kafka");

    private final String wire;

    Reason(String wire) {
      this.wire = wire;
    }

    /** The header value. */
    public String wire() {
      return wire;
    }
  }

  public DeadLetter {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(errorClass, "errorClass");
    Objects.requireNonNull(message, "message");
  }
}
