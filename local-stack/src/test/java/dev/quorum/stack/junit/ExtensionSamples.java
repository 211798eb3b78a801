package dev.quorum.stack.junit;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Test classes that {@link LocalStackExtensionIT} runs through the engine test kit (not picked up by the build on their own). */
final class ExtensionSamples {

    /** What each sample class was handed: class name to broker bootstrap servers and database URL. */
    static final Map<String, String[]> SEEN = new ConcurrentHashMap<>();

    private ExtensionSamples() {
    }

    @WithKafka
    @WithPostgres
    static class FirstUser {
        @Test
        void writes_into_its_own_database(KafkaBroker broker, PostgresDatabase db) throws SQLException {
            useFreshTable(getClass(), broker, db);
        }
    }

    @WithKafka
    @WithPostgres
    static class SecondUser {
        @Test
        void writes_into_its_own_database(KafkaBroker broker, PostgresDatabase db) throws SQLException {
            useFreshTable(getClass(), broker, db);
        }
    }

    /** Creates a table that must not exist yet: it would, if another class's database were handed out. */
    private static void useFreshTable(Class<?> user, KafkaBroker broker, PostgresDatabase db) throws SQLException {
        SEEN.put(user.getSimpleName(), new String[] {broker.bootstrapServers(), db.jdbcUrl()});
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sample (id int PRIMARY KEY)");
            s.execute("INSERT INTO sample VALUES (1)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sample")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
