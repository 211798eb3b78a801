package dev.quorum.stack.postgres;

import dev.quorum.stack.PostgresDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Creating and dropping per-test databases on a server, shared by the embedded and the container flavour. */
public final class Databases {

    private static final int MAX_NAME = 63;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Databases() {
    }

    /** A PostgreSQL identifier made from any text: lower case letters, digits and underscores, unique in this JVM. */
    public static String safeName(String wanted) {
        String base = wanted.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "db_" + base;
        }
        String suffix = "_" + SEQUENCE.incrementAndGet();
        if (base.length() + suffix.length() > MAX_NAME) {
            base = base.substring(0, MAX_NAME - suffix.length());
        }
        return base + suffix;
    }

    /** Creates a fresh database named after {@code wanted} on the server that {@code admin} is connected to. */
    public static ServerDatabase create(ServerDatabase admin, String wanted) {
        String name = safeName(wanted);
        execute(admin, "CREATE DATABASE " + name);
        return new ServerDatabase(admin.host(), admin.port(), name, admin.username(), admin.password());
    }

    /** Drops a database, closing whatever connections a test left open to it. */
    public static void drop(ServerDatabase admin, PostgresDatabase database) {
        if (!(database instanceof ServerDatabase db) || db.name().equals(admin.name())) {
            throw new IllegalArgumentException("not a database created on this server: " + database);
        }
        execute(admin, "DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
    }

    private static void execute(ServerDatabase admin, String sql) {
        try (Connection c = admin.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + admin, e);
        }
    }
}
