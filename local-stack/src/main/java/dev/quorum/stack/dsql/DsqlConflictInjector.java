package dev.quorum.stack.dsql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Makes a test PostgreSQL database fail a chosen fraction of transactions the way Aurora DSQL
 * does: at COMMIT, through the real JDBC driver, with SQLSTATE {@code 40001} and
 * {@value #DATA_CONFLICT} for data, {@value #SCHEMA_CONFLICT} for DDL.
 *
 * <p>Test-only. The SQL below lives here, never in the product's migrations: DSQL has no triggers
 * and the product schema never has any. Everything the injector creates is in the schema
 * {@value #SCHEMA}, plus one constraint trigger per chosen table and one event trigger, and
 * {@link #uninstall()} removes all of it.
 *
 * <p>The decision is made once per transaction (a deferred trigger fires once per row, so a
 * per-row draw would practically never let a 500-row batch commit): the first row's trigger draws
 * the n-th number of a sequence, hashes it with the seed into [0, 1), and keeps the outcome in a
 * transaction-local setting for the remaining rows. The same seed and the same order of
 * transactions therefore give the same failures; {@link #install} restarts the sequence.
 */
public final class DsqlConflictInjector {

    public static final String SQLSTATE = "40001";
    public static final String DATA_CONFLICT = "mutation conflicts with another transaction, retry as needed (OC000)";
    public static final String SCHEMA_CONFLICT = "schema has been updated by another transaction, please retry: (OC001)";
    public static final String SCHEMA = "quorum_test";

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final String TRIGGER = "quorum_test_conflict";

    // Test-only SQL: state, the once-per-transaction draw, and the functions that raise the conflicts.
    private static final String INSTALL = """
            SELECT set_config('quorum_test.bypass', 'on', true);
            CREATE SCHEMA IF NOT EXISTS quorum_test;
            CREATE TABLE IF NOT EXISTS quorum_test.conflict_settings (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                data_rate double precision NOT NULL,
                ddl_rate double precision NOT NULL,
                seed bigint NOT NULL);
            CREATE SEQUENCE IF NOT EXISTS quorum_test.data_draw;
            CREATE SEQUENCE IF NOT EXISTS quorum_test.ddl_draw;
            ALTER SEQUENCE quorum_test.data_draw RESTART;
            ALTER SEQUENCE quorum_test.ddl_draw RESTART;
            CREATE TABLE IF NOT EXISTS quorum_test.pending_schema_conflict (txid bigint NOT NULL);

            -- true when this transaction is to fail; decided on the first call, remembered for the rest of it
            CREATE OR REPLACE FUNCTION quorum_test.draw(kind text) RETURNS boolean LANGUAGE plpgsql AS $$
            DECLARE
                decided text := current_setting('quorum_test.decided_' || kind, true);
                s quorum_test.conflict_settings;
                n bigint;
                u double precision;
                hit boolean;
            BEGIN
                IF decided IN ('t', 'f') THEN
                    RETURN decided = 't';
                END IF;
                SELECT * INTO s FROM quorum_test.conflict_settings;
                n := nextval(('quorum_test.' || kind || '_draw')::regclass);
                -- 52 bits of md5(seed:kind:n) as a uniform number in [0, 1)
                u := ('x' || substr(md5(s.seed || ':' || kind || ':' || n), 1, 13))::bit(52)::bigint / 4503599627370496.0;
                hit := u < CASE kind WHEN 'data' THEN s.data_rate ELSE s.ddl_rate END;
                PERFORM set_config('quorum_test.decided_' || kind, CASE WHEN hit THEN 't' ELSE 'f' END, true);
                RETURN hit;
            END $$;

            -- deferred constraint trigger on the chosen tables: runs at COMMIT
            CREATE OR REPLACE FUNCTION quorum_test.data_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF quorum_test.draw('data') THEN
                    RAISE EXCEPTION 'mutation conflicts with another transaction, retry as needed (OC000)'
                        USING ERRCODE = '40001';
                END IF;
                RETURN NULL;
            END $$;

            -- event trigger: a DDL statement that draws a conflict leaves a row whose deferred trigger fails the COMMIT
            CREATE OR REPLACE FUNCTION quorum_test.ddl_conflict() RETURNS event_trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('quorum_test.bypass', true) = 'on' THEN
                    RETURN;
                END IF;
                IF quorum_test.draw('ddl') AND current_setting('quorum_test.schema_conflict_pending', true) IS DISTINCT FROM 'on' THEN
                    PERFORM set_config('quorum_test.schema_conflict_pending', 'on', true);
                    INSERT INTO quorum_test.pending_schema_conflict VALUES (txid_current());
                END IF;
            END $$;

            CREATE OR REPLACE FUNCTION quorum_test.schema_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'schema has been updated by another transaction, please retry: (OC001)'
                    USING ERRCODE = '40001';
            END $$;

            DROP TRIGGER IF EXISTS quorum_test_schema_conflict ON quorum_test.pending_schema_conflict;
            CREATE CONSTRAINT TRIGGER quorum_test_schema_conflict AFTER INSERT ON quorum_test.pending_schema_conflict
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION quorum_test.schema_conflict();

            DROP EVENT TRIGGER IF EXISTS quorum_test_ddl_conflict;
            CREATE EVENT TRIGGER quorum_test_ddl_conflict ON ddl_command_end EXECUTE FUNCTION quorum_test.ddl_conflict();
            """;

    private static final String SETTINGS = """
            INSERT INTO quorum_test.conflict_settings (data_rate, ddl_rate, seed) VALUES (?, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET data_rate = excluded.data_rate, ddl_rate = excluded.ddl_rate, seed = excluded.seed
            """;

    private static final String ADD_TRIGGER = """
            DROP TRIGGER IF EXISTS %1$s ON %2$s;
            CREATE CONSTRAINT TRIGGER %1$s AFTER INSERT OR UPDATE OR DELETE ON %2$s
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION quorum_test.data_conflict();
            """;

    private static final String UNINSTALL = """
            SELECT set_config('quorum_test.bypass', 'on', true);
            DROP EVENT TRIGGER IF EXISTS quorum_test_ddl_conflict;
            DROP SCHEMA IF EXISTS quorum_test CASCADE;
            """;

    private final DataSource dataSource;
    private final List<String> tables;

    private DsqlConflictInjector(DataSource dataSource, List<String> tables) {
        this.dataSource = dataSource;
        this.tables = tables;
    }

    /**
     * Installs the injector in a test database: a fraction {@code rate} of the transactions that
     * modify a row of one of {@code tables} (which must exist) fails at COMMIT with OC000. DDL
     * conflicts start at rate 0; see {@link #setDdlRate(double)}.
     */
    public static DsqlConflictInjector install(DataSource dataSource, double rate, long seed, String... tables) {
        return install(dataSource, rate, 0.0, seed, tables);
    }

    /** Installs the injector for migrations: a fraction {@code ddlRate} of the transactions that run DDL fails at COMMIT with OC001. */
    public static DsqlConflictInjector installForDdl(DataSource dataSource, double ddlRate, long seed) {
        return install(dataSource, 0.0, ddlRate, seed);
    }

    /** Installs both: data conflicts on {@code tables} at {@code dataRate}, schema conflicts at {@code ddlRate}. */
    public static DsqlConflictInjector install(DataSource dataSource, double dataRate, double ddlRate, long seed, String... tables) {
        checkRate(dataRate);
        checkRate(ddlRate);
        for (String table : tables) {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("not a plain table name: '" + table + "'");
            }
        }
        DsqlConflictInjector injector = new DsqlConflictInjector(dataSource, List.of(tables));
        injector.inTransaction("install the DSQL conflict injector", c -> {
            try (Statement s = c.createStatement()) {
                s.execute(INSTALL);
            }
            try (PreparedStatement ps = c.prepareStatement(SETTINGS)) {
                ps.setDouble(1, dataRate);
                ps.setDouble(2, ddlRate);
                ps.setLong(3, seed);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                for (String table : tables) {
                    s.execute(ADD_TRIGGER.formatted(TRIGGER, table));
                }
            }
        });
        return injector;
    }

    /** Changes the fraction of data transactions that fail, from the next transaction on. */
    public void setRate(double rate) {
        update("data_rate", rate);
    }

    /** Changes the fraction of DDL transactions that fail, from the next transaction on. */
    public void setDdlRate(double rate) {
        update("ddl_rate", rate);
    }

    /** How many data transactions have been decided since {@link #install}: one per transaction, whatever its row count. */
    public long dataDecisions() {
        return decisions("data_draw");
    }

    /** How many DDL transactions have been decided since {@link #install}. */
    public long ddlDecisions() {
        return decisions("ddl_draw");
    }

    /** Removes the triggers, the event trigger and the {@value #SCHEMA} schema. */
    public void uninstall() {
        inTransaction("uninstall the DSQL conflict injector", c -> {
            try (Statement s = c.createStatement()) {
                s.execute(UNINSTALL.replace("DROP SCHEMA", dropTableTriggers() + "DROP SCHEMA"));
            }
        });
    }

    private String dropTableTriggers() {
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            sql.append("DROP TRIGGER IF EXISTS ").append(TRIGGER).append(" ON ").append(table).append(";\n");
        }
        return sql.toString();
    }

    private void update(String column, double rate) {
        checkRate(rate);
        inTransaction("change the injected conflict rate", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE quorum_test.conflict_settings SET " + column + " = ?")) {
                ps.setDouble(1, rate);
                ps.executeUpdate();
            }
        });
    }

    private long decisions(String sequence) {
        String sql = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM quorum_test." + sequence;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + sequence, e);
        }
    }

    private static void checkRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("a conflict rate is in [0, 1]; was " + rate);
        }
    }

    private interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(String what, SqlWork work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not " + what, e);
        }
    }
}
