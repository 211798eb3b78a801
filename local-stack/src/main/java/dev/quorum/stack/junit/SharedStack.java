package dev.quorum.stack.junit;

import dev.quorum.stack.KafkaBroker;
import dev.quorum.stack.PostgresDatabase;
import dev.quorum.stack.PostgresServer;
import dev.quorum.stack.StackMode;
import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;
import dev.quorum.stack.testcontainers.TestcontainersKafka;
import dev.quorum.stack.testcontainers.TestcontainersPostgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/** Starts the servers that a module's whole test run shares, in the flavour {@link StackMode} asks for. */
final class SharedStack {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStack.class);

    private SharedStack() {
    }

    /** The mode in force: {@code auto} becomes Testcontainers when a Docker engine answers, embedded otherwise. */
    static StackMode effectiveMode() {
        StackMode requested = StackMode.requested();
        if (requested != StackMode.AUTO) {
            return requested;
        }
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        StackMode mode = docker ? StackMode.TESTCONTAINERS : StackMode.EMBEDDED;
        LOG.info("{}=auto: {}", StackMode.PROPERTY, docker ? "a Docker engine answers, using Testcontainers" : "no Docker engine, using embedded servers");
        return mode;
    }

    /** A shared broker, started; closing the returned handle stops it. */
    static Shared<KafkaBroker> kafka(StackMode mode) {
        if (mode == StackMode.TESTCONTAINERS) {
            TestcontainersKafka kafka = new TestcontainersKafka().start();
            return new Shared<>(kafka, kafka::close);
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
        return new Shared<>(kafka, kafka::close);
    }

    /** A shared PostgreSQL server, started; closing the returned handle stops it. */
    static Shared<PostgresServer> postgres(StackMode mode) {
        if (mode == StackMode.TESTCONTAINERS) {
            TestcontainersPostgres postgres = new TestcontainersPostgres().start();
            return new Shared<>(postgres, postgres::close);
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().build().start();
        return new Shared<>(postgres, postgres::close);
    }

    /** A value in an ExtensionContext store that JUnit closes when the store's context ends. */
    record Shared<T>(T value, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    /** A database created for one test class on the shared server, dropped when the class is done. */
    record ClassDatabase(PostgresDatabase database, PostgresServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.dropDatabase(database);
        }
    }
}
