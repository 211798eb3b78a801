package dev.quorum.store.testing;

import dev.quorum.stack.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh schema per test inside the class's database, so tests of one class never see each other's rows. */
public final class Databases {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private Databases() {}

  public static DataSource freshSchema(PostgresDatabase database) {
    return dataSource(database, freshSchemaUrl(database));
  }

  /** Creates a schema and returns a JDBC URL whose connections use it. */
  public static String freshSchemaUrl(PostgresDatabase database) {
    String schema = "t" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
    try (Connection connection = database.dataSource().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema, e);
    }
    String url = database.jdbcUrl();
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** An unpooled data source for a URL of {@link #freshSchemaUrl}. */
  public static DataSource dataSource(PostgresDatabase database, String url) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser(database.username());
    dataSource.setPassword(database.password());
    return dataSource;
  }

  /** The first column of every row of a query, as text. */
  public static List<String> strings(DataSource dataSource, String sql) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) values.add(rows.getString(1));
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql, e);
    }
  }

  /** The first column of the first row of a query, as text. */
  public static String string(DataSource dataSource, String sql) {
    return strings(dataSource, sql).getFirst();
  }

  /** The first column of the first row of a query, as a number: a count. */
  public static int count(DataSource dataSource, String sql) {
    return Integer.parseInt(string(dataSource, sql));
  }
}
