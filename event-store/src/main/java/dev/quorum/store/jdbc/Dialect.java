package dev.quorum.store.jdbc;

/** The two databases the schema runs on unchanged, and the few statements that differ between them. */
public enum Dialect {
  /** PostgreSQL 15 or newer, run at REPEATABLE READ to reproduce DSQL's snapshot isolation. */
  POSTGRESQL,
  /** Aurora DSQL: asynchronous index builds, IAM tokens, optimistic concurrency. */
  DSQL;

  /**
   * Whether a transaction must ask for REPEATABLE READ: PostgreSQL defaults to READ COMMITTED, while
   * snapshot isolation is DSQL's only level, so asking there costs a round trip per transaction.
   */
  public boolean asksForRepeatableRead() {
    return this == POSTGRESQL;
  }

  /** The statement that creates an index without blocking writes on this database. */
  public String createIndex(String name, String table, String columns) {
    return switch (this) {
      case POSTGRESQL -> "CREATE INDEX IF NOT EXISTS " + name + " ON " + table + " (" + columns + ")";
      case DSQL -> "CREATE INDEX ASYNC IF NOT EXISTS " + name + " ON " + table + " (" + columns + ")";
    };
  }
}
