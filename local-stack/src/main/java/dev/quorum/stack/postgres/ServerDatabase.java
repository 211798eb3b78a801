package dev.quorum.stack.postgres;

import dev.quorum.stack.PostgresDatabase;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

/** One database on a PostgreSQL server reached by host and port; the JDBC URL carries no credentials. */
public record ServerDatabase(String host, int port, String name, String username, String password) implements PostgresDatabase {

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    @Override
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(name);
        ds.setUser(username);
        ds.setPassword(password);
        ds.setConnectTimeout(5);
        ds.setApplicationName("quorum-test");
        return ds;
    }

    @Override
    public String toString() {
        return jdbcUrl() + " as " + username;
    }
}
