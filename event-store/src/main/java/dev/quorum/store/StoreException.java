package dev.quorum.store;

import dev.quorum.store.tx.ErrorKind;

/**
 * A store operation that did not succeed, wrapped once with what was being done, how it was
 * classified and after how many attempts.
 */
public class StoreException extends RuntimeException {
  private final ErrorKind kind;
  private final String sqlState;
  private final int attempts;

  public StoreException(String message, Throwable cause, ErrorKind kind, String sqlState, int attempts) {
    super(message, cause);
    this.kind = kind;
    this.sqlState = sqlState;
    this.attempts = attempts;
  }

  /** RETRYABLE here means the attempts ran out: the database is unavailable or too contended for now. */
  public ErrorKind kind() {
    return kind;
  }

  /** The SQLSTATE of the cause, or null. */
  public String sqlState() {
    return sqlState;
  }

  public int attempts() {
    return attempts;
  }

  public boolean isRecordError() {
    return kind == ErrorKind.RECORD;
  }

  public boolean isUnavailable() {
    return kind == ErrorKind.RETRYABLE;
  }
}
