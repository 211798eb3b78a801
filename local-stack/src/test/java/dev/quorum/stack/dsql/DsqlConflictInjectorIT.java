package dev.quorum.stack.dsql;

import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.junit.WithPostgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithPostgres
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DsqlConflictInjectorIT {

    private static final double RATE = 0.3;
    private static final long SEED = 20260615L;

    private final DataSource ds;
    private DsqlConflictInjector injector;

    DsqlConflictInjectorIT(PostgresDatabase db) {
        this.ds = db.dataSource();
    }

    @BeforeEach
    void create_tables() throws SQLException {
        execute("CREATE TABLE IF NOT EXISTS incident_event (event_id uuid PRIMARY KEY, payload text NOT NULL)");
        execute("CREATE TABLE IF NOT EXISTS untouched (id uuid PRIMARY KEY)");
    }

    @AfterEach
    void remove_injector_and_tables() throws SQLException {
        if (injector != null) {
            injector.uninstall();
        }
        execute("DROP TABLE IF EXISTS incident_event, untouched, created_by_migration");
    }

    @Test
    void an_injected_conflict_fails_the_commit_with_dsql_sqlstate_and_message_and_stores_nothing() throws SQLException {
        // Given
        injector = DsqlConflictInjector.install(ds, 1.0, SEED, "incident_event");

        // When the statement itself succeeds
        try (Connection c = transaction()) {
            assertThat(insertRows(c, 3)).isEqualTo(3);

            // Then the COMMIT fails as on DSQL
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).satisfies(e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("40001");
                assertThat(e.getMessage()).contains("mutation conflicts with another transaction, retry as needed (OC000)");
            });
        }
        assertThat(count("incident_event")).isZero();
    }

    @Test
    void a_table_without_the_trigger_never_conflicts() throws SQLException {
        // Given
        injector = DsqlConflictInjector.install(ds, 1.0, SEED, "incident_event");

        // When
        try (Connection c = transaction(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO untouched VALUES (gen_random_uuid())");
            c.commit();
        }

        // Then
        assertThat(count("untouched")).isEqualTo(1);
        assertThat(injector.dataDecisions()).isZero();
    }

    @Test
    void single_row_transactions_fail_at_the_configured_rate() throws SQLException {
        // Given
        injector = DsqlConflictInjector.install(ds, RATE, SEED, "incident_event");
        int transactions = 400;

        // When
        List<Boolean> outcomes = runTransactions(transactions, 1);

        // Then
        long failed = outcomes.stream().filter(ok -> !ok).count();
        assertWithinBinomialBounds(failed, transactions, RATE);
        assertThat(injector.dataDecisions()).isEqualTo(transactions);
        assertThat(count("incident_event")).isEqualTo(transactions - failed);
    }

    @Test
    void five_hundred_row_transactions_fail_at_the_configured_rate_because_the_draw_is_per_transaction() throws SQLException {
        // Given (a per-row draw would let a 500-row transaction commit with probability 0.7^500)
        injector = DsqlConflictInjector.install(ds, RATE, SEED, "incident_event");
        int transactions = 120;

        // When
        List<Boolean> outcomes = runTransactions(transactions, 500);

        // Then
        long failed = outcomes.stream().filter(ok -> !ok).count();
        assertWithinBinomialBounds(failed, transactions, RATE);
        assertThat(injector.dataDecisions()).isEqualTo(transactions);
        assertThat(count("incident_event")).isEqualTo((transactions - failed) * 500);
    }

    @Test
    void the_same_seed_fails_the_same_transactions_and_another_seed_does_not() throws SQLException {
        // Given
        injector = DsqlConflictInjector.install(ds, 0.5, SEED, "incident_event");
        List<Boolean> first = runTransactions(40, 2);

        // When
        injector = DsqlConflictInjector.install(ds, 0.5, SEED, "incident_event");
        List<Boolean> repeated = runTransactions(40, 2);
        injector = DsqlConflictInjector.install(ds, 0.5, SEED + 1, "incident_event");
        List<Boolean> otherSeed = runTransactions(40, 2);

        // Then
        assertThat(repeated).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void the_rate_can_be_changed_while_installed() throws SQLException {
        // Given
        injector = DsqlConflictInjector.install(ds, 1.0, SEED, "incident_event");
        assertThat(runTransactions(5, 1)).containsOnly(false);

        // When
        injector.setRate(0.0);

        // Then
        assertThat(runTransactions(5, 1)).containsOnly(true);
    }

    @Test
    void a_ddl_transaction_fails_at_commit_with_the_dsql_schema_conflict() throws SQLException {
        // Given
        injector = DsqlConflictInjector.installForDdl(ds, 1.0, SEED);

        // When
        try (Connection c = transaction(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE created_by_migration (id uuid PRIMARY KEY)");

            // Then
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).satisfies(e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("40001");
                assertThat(e.getMessage()).contains("schema has been updated by another transaction, please retry: (OC001)");
            });
        }
        assertThat(tableExists("created_by_migration")).isFalse();

        // and at rate 0 the same DDL commits
        injector.setDdlRate(0.0);
        execute("CREATE TABLE created_by_migration (id uuid PRIMARY KEY)");
        assertThat(tableExists("created_by_migration")).isTrue();
        assertThat(injector.ddlDecisions()).isEqualTo(2);
    }

    @Test
    void uninstall_leaves_no_trigger_function_or_schema_behind() throws SQLException {
        // Given
        DsqlConflictInjector.install(ds, 1.0, 0.5, SEED, "incident_event").uninstall();

        // When / Then
        assertThat(scalar("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'incident_event'::regclass")).isZero();
        assertThat(scalar("SELECT count(*) FROM pg_event_trigger")).isZero();
        assertThat(scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'quorum_test'")).isZero();
        assertThat(runTransactions(3, 1)).containsOnly(true);
    }

    /** Runs transactions that each insert {@code rows} rows; true for each one that committed. */
    private List<Boolean> runTransactions(int transactions, int rows) throws SQLException {
        List<Boolean> outcomes = new ArrayList<>();
        try (Connection c = transaction()) {
            for (int t = 0; t < transactions; t++) {
                insertRows(c, rows);
                try {
                    c.commit();
                    outcomes.add(true);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("40001");
                    c.rollback();
                    outcomes.add(false);
                }
            }
        }
        return outcomes;
    }

    private static int insertRows(Connection c, int rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incident_event SELECT gen_random_uuid(), 'event ' || i FROM generate_series(1, ?) AS i")) {
            ps.setInt(1, rows);
            return ps.executeUpdate();
        }
    }

    /** Fails if the observed count is more than 4.5 standard deviations from n*p (a 1-in-100,000 chance for a fair draw). */
    private static void assertWithinBinomialBounds(long observed, int n, double p) {
        double mean = n * p;
        double bound = 4.5 * Math.sqrt(n * p * (1 - p));
        assertThat((double) observed).as("failed transactions out of %d at rate %s", n, p)
                .isBetween(mean - bound, mean + bound);
    }

    private Connection transaction() throws SQLException {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        return c;
    }

    private long count(String table) throws SQLException {
        return scalar("SELECT count(*) FROM " + table);
    }

    private boolean tableExists(String table) throws SQLException {
        return scalar("SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'") == 1;
    }

    private long scalar(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
