package dev.quorum.stack.postgres;

import dev.quorum.stack.Loopback;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedPostgresIT {

    @BeforeAll
    static void create_a_table(PostgresDatabase db) throws SQLException {
        execute(db.dataSource(), "CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL)");
        execute(db.dataSource(), "INSERT INTO account VALUES (1, 100)");
    }

    @Test
    void two_repeatable_read_transactions_writing_the_same_row_end_in_a_serialization_failure(PostgresDatabase db) throws SQLException {
        // Given a transaction whose snapshot predates another transaction's committed update
        try (Connection first = repeatableRead(db.dataSource()); Connection second = repeatableRead(db.dataSource())) {
            assertThat(balance(first)).isEqualTo(100);
            try (Statement s = second.createStatement()) {
                s.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = 1");
            }
            second.commit();

            // When it writes the same row, Then PostgreSQL raises 40001 as DSQL would
            assertThatThrownBy(() -> {
                try (Statement s = first.createStatement()) {
                    s.executeUpdate("UPDATE account SET balance = balance + 10 WHERE id = 1");
                }
            }).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            first.rollback();
        }
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(balance(c)).isEqualTo(101);
        }
    }

    @Test
    void the_server_is_postgresql_16_or_newer_and_listens_on_loopback(PostgresDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('listen_addresses')")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(160000);
            assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
        }
        assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
    }

    @Test
    void a_new_database_on_the_same_server_does_not_see_the_class_database_tables(PostgresDatabase db, EmbeddedPostgres server) throws SQLException {
        // Given
        PostgresDatabase other = server.newDatabase("other");

        // When / Then
        assertThat(other.jdbcUrl()).isNotEqualTo(db.jdbcUrl());
        assertThatThrownBy(() -> execute(other.dataSource(), "SELECT * FROM account"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01")); // undefined_table
    }

    @Test
    void a_restarted_server_keeps_its_port_and_its_committed_rows(EmbeddedPostgres server) throws SQLException {
        // Given
        PostgresDatabase db = server.newDatabase("restart");
        execute(db.dataSource(), "CREATE TABLE kept (id int PRIMARY KEY)");
        execute(db.dataSource(), "INSERT INTO kept SELECT generate_series(1, 1000)");
        int port = server.port();

        // When
        server.restart();

        // Then
        assertThat(server.port()).isEqualTo(port);
        assertThat(count(db.dataSource(), "kept")).isEqualTo(1000);
    }

    @Test
    void a_server_killed_with_sigkill_recovers_its_committed_rows_on_start(EmbeddedPostgres server) throws SQLException {
        // Given
        PostgresDatabase db = server.newDatabase("kill");
        execute(db.dataSource(), "CREATE TABLE kept (id int PRIMARY KEY)");
        execute(db.dataSource(), "INSERT INTO kept SELECT generate_series(1, 1000)");

        // When
        server.kill();

        // Then it is gone, and back with every committed row after start()
        assertThatThrownBy(() -> count(db.dataSource(), "kept")).isInstanceOf(SQLException.class);
        server.start();
        assertThat(count(db.dataSource(), "kept")).isEqualTo(1000);
    }

    @Test
    void a_first_start_whose_port_another_process_took_starts_over_on_a_new_port() throws Exception {
        // Given a port that some other process binds between our choosing and our binding it
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Loopback.HOST))) {
            var handedOut = new AtomicInteger();
            var server = EmbeddedPostgres.builder()
                    .portSource(() -> handedOut.getAndIncrement() == 0 ? taken.getLocalPort() : Loopback.freePort())
                    .build();

            // When
            try (server) {
                server.start();

                // Then
                assertThat(server.port()).isNotEqualTo(taken.getLocalPort());
                assertThat(handedOut).hasValue(2);
                execute(server.dataSource(), "SELECT 1");
            }
            // and close() deleted the server's files
            assertThat(server.dataDirectory()).doesNotExist();
        }
    }

    private static Connection repeatableRead(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        return c;
    }

    private static int balance(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT balance FROM account WHERE id = 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long count(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
