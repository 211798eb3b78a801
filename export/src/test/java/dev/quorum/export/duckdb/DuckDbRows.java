package dev.quorum.export.duckdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** For tests: the rows of a DuckDB query, each as its values joined by {@code |} (null as {@code null}). */
public final class DuckDbRows {
  private DuckDbRows() {}

  public static List<String> lines(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      List<String> lines = new ArrayList<>();
      int n = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= n; i++) line.append(i > 1 ? "|" : "").append(rows.getString(i));
        lines.add(line.toString());
      }
      return lines;
    }
  }
}
