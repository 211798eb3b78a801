package dev.quorum.store.migration;

import dev.quorum.store.jdbc.Dialect;
import java.util.Objects;
import java.util.function.Function;

/**
 * One schema change: a single idempotent DDL statement (DSQL runs one DDL per transaction, never
 * mixed with DML), so that a migration interrupted before its history row is written can run again.
 *
 * @param version the position in the history; versions are applied in ascending order
 * @param description what the change does, kept in the history table
 * @param statement the DDL for a dialect
 */
public record Migration(int version, String description, Function<Dialect, String> statement) {
  public Migration {
    if (version < 1) throw new IllegalArgumentException("version must be >= 1: " + version);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(statement, "statement");
  }

  /** A change written the same way for every dialect. */
  public static Migration of(int version, String description, String ddl) {
    return new Migration(version, description, dialect -> ddl);
  }

  /** An index, built without blocking writes: {@code CREATE INDEX ASYNC} on DSQL. */
  public static Migration index(int version, String name, String table, String columns) {
    return new Migration(version, "index " + name + " on " + table + " (" + columns + ")",
        dialect -> dialect.createIndex(name, table, columns));
  }

  public String sql(Dialect dialect) {
    return statement.apply(dialect);
  }

  public boolean isAsyncIndex(Dialect dialect) {
    return sql(dialect).startsWith("CREATE INDEX ASYNC");
  }
}
