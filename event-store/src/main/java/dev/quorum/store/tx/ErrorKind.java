package dev.quorum.store.tx;

/** What a database error means for the transaction that raised it (DESIGN §7). */
public enum ErrorKind {
  /** A conflict or a lost connection: run the whole transaction again. */
  RETRYABLE,
  /** The data of one record was refused: isolate the record by splitting the batch. */
  RECORD,
  /** Anything else: a bug or a misconfiguration; fail fast. */
  FATAL
}
