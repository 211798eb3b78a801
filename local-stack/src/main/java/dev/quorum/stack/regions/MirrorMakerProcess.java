package dev.quorum.stack.regions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * MirrorMaker 2 (the {@code connect-mirror} artifact) in its own JVM, in dedicated mode, replicating the
 * given topics between two regions' clusters in both directions. One process runs the flows into one
 * target region ({@code --clusters <target>}), as MirrorMaker runs beside the cluster it writes to; so
 * taking a region down takes its MirrorMaker with it. Mirrored topics get the source region's alias as
 * prefix ({@code DefaultReplicationPolicy}: {@code A.quorum.events.committed.v1} in region B), and a
 * mirrored topic is never mirrored back.
 */
public final class MirrorMakerProcess implements AutoCloseable {

    /** The main class of the child JVM; it halts when this JVM is gone. */
    static final String MAIN = "dev.quorum.stack.regions.MirrorMakerMain";
    private static final String CLASS_PATH_RESOURCE = "dev/quorum/stack/regions/mirror.classpath";
    private static final String LOG_CONFIG = "dev/quorum/stack/kafka/broker-log4j2.xml";

    /** A region's Kafka cluster: its alias (the mirrored topics' prefix) and bootstrap servers. */
    public record Cluster(String alias, String bootstrapServers) {
        public Cluster {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            if (!alias.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("a cluster alias is a plain name: " + alias);
        }
    }

    private final Path propertiesFile;
    private final String target;
    private final Path log;
    private Process process;

    private MirrorMakerProcess(Path propertiesFile, String target, Path log) {
        this.propertiesFile = propertiesFile;
        this.target = target;
        this.log = log;
    }

    /**
     * The flows {@code a->b} and {@code b->a} of {@code topics} (exact names), with the settings a test or a
     * laptop wants: replication factor 1, new topics found within seconds, only committed records copied
     * (the writers' Kafka transactions may abort), no checkpoints or offset syncs for groups.
     */
    public static Properties properties(Cluster a, Cluster b, List<String> topics, Map<String, String> overrides) {
        Properties p = new Properties();
        p.setProperty("clusters", a.alias() + ", " + b.alias());
        String pattern = String.join("|", topics.stream().map(t -> t.replace(".", "\\.")).toList());
        for (Cluster c : List.of(a, b)) {
            p.setProperty(c.alias() + ".bootstrap.servers", c.bootstrapServers());
            // the writers publish in Kafka transactions: an aborted batch is not an event to mirror
            p.setProperty(c.alias() + ".consumer.isolation.level", "read_committed");
        }
        for (String flow : List.of(a.alias() + "->" + b.alias(), b.alias() + "->" + a.alias())) {
            p.setProperty(flow + ".enabled", "true");
            p.setProperty(flow + ".topics", pattern);
        }
        p.setProperty("replication.policy.class", "org.apache.kafka.connect.mirror.DefaultReplicationPolicy");
        p.setProperty("groups.exclude", ".*");
        // every plugin on the class path has a ServiceLoader manifest: no reflective scan of the class path (seconds)
        p.setProperty("plugin.discovery", "service_load");
        p.setProperty("sync.group.offsets.enabled", "false");
        p.setProperty("sync.topic.acls.enabled", "false");
        p.setProperty("refresh.topics.interval.seconds", "2");
        p.setProperty("tasks.max", "1");
        for (String key : List.of("replication.factor", "offset-syncs.topic.replication.factor", "heartbeats.topic.replication.factor",
                "checkpoints.topic.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor",
                "config.storage.replication.factor")) {
            p.setProperty(key, "1");
        }
        // records reach the other region within a second, not after the default minute of offset flushes
        p.setProperty("offset.flush.interval.ms", "1000");
        overrides.forEach(p::setProperty);
        return p;
    }

    /** Writes {@code mm2.properties} in {@code dir} and starts the process for the flows into {@code target}. */
    public static MirrorMakerProcess start(Properties properties, String target, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("mm2-" + target + ".properties");
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "MirrorMaker 2: the flows into " + target);
            }
            return new MirrorMakerProcess(file, target, dir.resolve("mirror-maker-" + target + ".log")).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the MirrorMaker configuration in " + dir, e);
        }
    }

    /** Starts the JVM again after {@link #kill()}, with the same configuration. */
    public synchronized MirrorMakerProcess start() {
        if (process != null && process.isAlive()) return this;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dlog4j2.configurationFile=" + LOG_CONFIG);
        command.add("-cp");
        command.add(classPath());
        command.add(MAIN);
        command.add(propertiesFile.toString());
        command.add("--clusters");
        command.add(target);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // stdin stays a pipe: the child halts when it reads end-of-file, i.e. when this JVM is gone
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start MirrorMaker 2 for " + target, e);
        }
        return this;
    }

    /** The JVM's class path: connect-mirror and its dependencies as resolved by the build, then this module. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        try (InputStream in = MirrorMakerProcess.class.getClassLoader().getResourceAsStream(CLASS_PATH_RESOURCE)) {
            if (in == null) throw new IllegalStateException(CLASS_PATH_RESOURCE + " is missing: build local-stack with Maven");
            entries.add(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + CLASS_PATH_RESOURCE, e);
        }
        try {
            entries.add(Path.of(MirrorMakerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("where is local-stack?", e);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    public String target() {
        return target;
    }

    public Path log() {
        return log;
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the region's MirrorMaker is gone with its region. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitFor(process);
    }

    @Override
    public synchronized void close() {
        if (process == null) return;
        process.destroy();
        if (!waitFor(process)) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The effective configuration, one key per line, sorted (for a log). */
    public static String describe(Properties properties) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(properties).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }
}
