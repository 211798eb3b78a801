package dev.quorum.export.domain;

import java.util.List;
import java.util.stream.Collectors;

/** One exported table: its name (the files' name too) and its columns in order. */
public record Table<R>(String name, List<Column<R>> columns) {
  public Table {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) throw new IllegalArgumentException("a table needs columns: " + name);
  }

  /** The statement that creates the table in the export's working database. */
  public String createStatement() {
    return "CREATE TABLE " + quoted(name) + " ("
        + columns.stream().map(c -> quoted(c.name()) + " " + c.type()).collect(Collectors.joining(", ")) + ")";
  }

  /** The name as a quoted identifier (a column may be named like a keyword: {@code at}, {@code day}). */
  public static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** The row's values, in column order. */
  public Object[] values(R row) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) values[i] = columns.get(i).value().apply(row);
    return values;
  }
}
