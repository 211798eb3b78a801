package dev.quorum.stack.kafka;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.Loopback;
import dev.quorum.stack.WorkDirectory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller) from the
 * {@code kafka_2.13} artifact, on loopback ports chosen once, either inside this JVM or as a child
 * JVM that a test can SIGKILL. {@link #restart()} keeps the ports and the log directory.
 */
public final class EmbeddedKafka implements KafkaBroker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String BROKER_LOG_CONFIG = "dev/quorum/stack/kafka/broker-log4j2.xml";

    private final boolean separateJvm;
    private final Map<String, String> overrides;
    private final Duration startupTimeout;
    private final List<String> childJvmOptions;
    private final IntSupplier portSource;
    /** A directory that outlives the broker (its data kept across runs), or null for a temporary one. */
    private final Path keptIn;

    private Path workDir;
    private int port;
    private int controllerPort;
    private Path propertiesFile;
    private Running running;
    private boolean closed;

    private EmbeddedKafka(Builder builder) {
        this.separateJvm = builder.separateJvm;
        this.overrides = Map.copyOf(builder.overrides);
        this.startupTimeout = builder.startupTimeout;
        this.childJvmOptions = List.copyOf(builder.childJvmOptions);
        this.portSource = builder.portSource;
        this.keptIn = builder.keptIn;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker and returns once it serves clients. The first start chooses the ports,
     * creates the log directory and formats it (starting over with new ports if another process
     * took one first); later starts reuse all three.
     */
    public synchronized EmbeddedKafka start() {
        if (closed) {
            throw new IllegalStateException("this broker is closed");
        }
        if (running != null) {
            return this;
        }
        long begin = System.nanoTime();
        for (int attempt = 1; running == null; attempt++) {
            boolean firstStart = workDir == null;
            if (firstStart) {
                prepare();
            }
            try {
                running = separateJvm ? ChildJvm.start(this) : InProcess.start(propertiesFile);
                KafkaAdmin.awaitReady(bootstrapServers(), startupTimeout, running::alive, this::diagnostics);
            } catch (RuntimeException e) {
                if (running != null) {
                    running.kill();
                    running = null;
                }
                if (keptIn != null || !(firstStart && attempt < Loopback.FIRST_START_ATTEMPTS
                        && Loopback.lostItsPort(e, workDir.resolve(ChildJvm.LOG_FILE)))) {
                    throw e;
                }
                LOG.warn("Kafka broker lost port {} or {} to another process before binding it; choosing new ports", port, controllerPort);
                WorkDirectory.delete(workDir);
                workDir = null;
            }
        }
        LOG.info("Kafka broker ready at {} ({}) in {} ms", bootstrapServers(), separateJvm ? "child JVM" : "in-process",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return this;
    }

    /** Shuts the broker down cleanly; {@link #start()} brings it back on the same port and log directory. */
    public synchronized void stop() {
        if (running != null) {
            try {
                running.stop();
            } finally {
                running = null;
            }
        }
    }

    /** Stops and starts again on the same port and log directory. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Kills the child JVM with SIGKILL: no shutdown hook runs, nothing is flushed. Only in separate-JVM mode. */
    public synchronized void kill() {
        if (!separateJvm) {
            throw new UnsupportedOperationException("kill() needs a broker built with separateJvm(true)");
        }
        if (running != null) {
            try {
                running.kill();
            } finally {
                running = null;
            }
        }
    }

    /** Stops the broker (killing a child JVM outright) and deletes its files. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (running != null) {
                if (separateJvm) {
                    running.kill();
                } else {
                    running.stop();
                }
            }
        } finally {
            running = null;
            if (keptIn == null) {
                WorkDirectory.delete(workDir);
            }
        }
    }

    @Override
    public String bootstrapServers() {
        requirePrepared();
        return Loopback.HOST + ":" + port;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        KafkaAdmin.createTopic(bootstrapServers(), name, partitions, configs);
    }

    public int port() {
        requirePrepared();
        return port;
    }

    public int controllerPort() {
        requirePrepared();
        return controllerPort;
    }

    /** The directory holding the topic logs and the KRaft metadata log. */
    public Path logDirectory() {
        requirePrepared();
        return workDir.resolve("logs");
    }

    public boolean isSeparateJvm() {
        return separateJvm;
    }

    public synchronized boolean isRunning() {
        return running != null && running.alive();
    }

    /** The process id of the child JVM while one runs. */
    public synchronized long pid() {
        if (!(running instanceof ChildJvm child)) {
            throw new IllegalStateException("no child JVM is running");
        }
        return child.process.pid();
    }

    private void requirePrepared() {
        if (workDir == null) {
            throw new IllegalStateException("the broker has not been started yet");
        }
    }

    private void prepare() {
        if (keptIn != null && Files.exists(keptIn.resolve("server.properties"))) {
            // a broker kept from an earlier run: its ports, its cluster, its topics
            workDir = keptIn;
            propertiesFile = workDir.resolve("server.properties");
            Properties kept = load(propertiesFile);
            port = portOf(kept.getProperty("listeners"), "PLAINTEXT");
            controllerPort = portOf(kept.getProperty("listeners"), "CONTROLLER");
            return;
        }
        workDir = keptIn != null ? keptIn : WorkDirectory.create("quorum-kafka-");
        port = portSource.getAsInt();
        do {
            controllerPort = portSource.getAsInt();
        } while (controllerPort == port);
        Path logDir = workDir.resolve("logs");
        propertiesFile = workDir.resolve("server.properties");
        Properties properties = BrokerSettings.serverProperties(port, controllerPort, logDir, overrides);
        try {
            Files.createDirectories(logDir);
            try (OutputStream out = Files.newOutputStream(propertiesFile)) {
                properties.store(out, "single-node KRaft broker for tests");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + propertiesFile, e);
        }
        format();
    }

    /** The port of the named listener in a {@code listeners} value ({@code PLAINTEXT://127.0.0.1:9092,...}). */
    private static int portOf(String listeners, String name) {
        for (String listener : listeners.split(",")) {
            if (listener.strip().startsWith(name + "://")) {
                return Integer.parseInt(listener.substring(listener.lastIndexOf(':') + 1).strip());
            }
        }
        throw new IllegalStateException("no " + name + " listener in " + listeners);
    }

    private void format() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {
                "format", "--standalone", "--cluster-id", Uuid.randomUuid().toString(), "--config", propertiesFile.toString()
            }, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + exit + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private String diagnostics() {
        return separateJvm ? "see " + workDir.resolve(ChildJvm.LOG_FILE) : "see the test log";
    }

    /** A broker that is running, in one of two places. */
    private interface Running {
        void stop();

        void kill();

        boolean alive();
    }

    private static final class InProcess implements Running {
        private final KafkaRaftServer server;
        private volatile boolean alive = true;

        private InProcess(KafkaRaftServer server) {
            this.server = server;
        }

        static InProcess start(Path propertiesFile) {
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(load(propertiesFile), false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                server.shutdown();
                throw new IllegalStateException("Kafka broker failed to start", e);
            }
            return new InProcess(server);
        }

        @Override
        public void stop() {
            alive = false;
            server.shutdown();
            server.awaitShutdown();
        }

        @Override
        public void kill() {
            stop();
        }

        @Override
        public boolean alive() {
            return alive;
        }
    }

    private static final class ChildJvm implements Running {
        static final String LOG_FILE = "broker.log";
        private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

        private final Process process;

        private ChildJvm(Process process) {
            this.process = process;
        }

        static ChildJvm start(EmbeddedKafka kafka) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(kafka.childJvmOptions);
            command.add("-Dlog4j2.configurationFile=" + BROKER_LOG_CONFIG);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(KafkaBrokerMain.class.getName());
            command.add(kafka.propertiesFile.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(kafka.workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(kafka.workDir.resolve(LOG_FILE).toFile()));
            // stdin stays a pipe: the child halts when it reads end-of-file, i.e. when this JVM is gone
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            try {
                return new ChildJvm(builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the broker JVM: " + command, e);
            }
        }

        @Override
        public void stop() {
            process.destroy(); // SIGTERM: the broker's shutdown hook shuts it down cleanly
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    LOG.warn("Kafka broker JVM {} did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }

        @Override
        public void kill() {
            process.destroyForcibly(); // SIGKILL
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }
    }

    static Properties load(Path propertiesFile) {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(propertiesFile)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + propertiesFile, e);
        }
        return properties;
    }

    /** Options of an {@link EmbeddedKafka}; the defaults suit tests. */
    public static final class Builder {
        private boolean separateJvm;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(90);
        private IntSupplier portSource = Loopback::freePort;
        private Path keptIn;
        private final List<String> childJvmOptions = new ArrayList<>(List.of(
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED"));

        private Builder() {
        }

        /** Runs the broker in a child JVM (so that {@link #kill()} can SIGKILL it) instead of in this JVM. */
        public Builder separateJvm(boolean separateJvm) {
            this.separateJvm = separateJvm;
            return this;
        }

        /** Sets or overrides one broker setting (see {@link BrokerSettings#fastSingleNode()} for the defaults). */
        public Builder brokerConfig(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Adds an option to the child JVM's command line (separate-JVM mode only). */
        public Builder childJvmOption(String option) {
            childJvmOptions.add(option);
            return this;
        }

        /** Where ports come from; tests replace it to lose a race for a port on purpose. */
        Builder portSource(IntSupplier portSource) {
            this.portSource = portSource;
            return this;
        }

        /**
         * Keeps the broker's files in {@code directory}, which {@link #close()} leaves in place: a broker
         * built on the same directory later starts with the same ports, cluster and topics.
         */
        public Builder keptIn(Path directory) {
            this.keptIn = directory;
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
