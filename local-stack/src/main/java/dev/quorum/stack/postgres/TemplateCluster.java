package dev.quorum.stack.postgres;

import dev.quorum.stack.Loopback;
import dev.quorum.stack.WorkDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A freshly initialised PostgreSQL data directory, made once per JVM and copied for each new
 * server: a copy takes a fraction of a second where initdb takes seconds.
 */
final class TemplateCluster {

    /** Files of a running or once-running server that a new server must not inherit. */
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");

    private static Path template;

    private TemplateCluster() {
    }

    /** Fills {@code target} (which must not exist) with a copy of the template cluster. */
    static synchronized void copyTo(Path target, String locale) {
        if (template == null) {
            template = create(locale);
        }
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                if (SKIPPED.contains(source.getFileName().toString())) {
                    continue;
                }
                Files.copy(source, target.resolve(template.relativize(source).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the template cluster to " + target, e);
        }
    }

    private static Path create(String locale) {
        Path root = WorkDirectory.create("quorum-postgres-template-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> WorkDirectory.delete(root), "postgres-template-cleanup"));
        Path data = root.resolve("data");
        // initdb, then one clean start and stop, which leaves a cluster that needs no recovery
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPort(Loopback.freePort())
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setLocaleConfig("locale", locale)
                    .setServerConfig("listen_addresses", Loopback.HOST)
                    .setServerConfig("unix_socket_directories", "''")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(root.resolve("initdb.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(root.resolve("initdb.log").toFile()))
                    .start()
                    .close();
            return data;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not initialise a PostgreSQL cluster; see " + root.resolve("initdb.log"), e);
        }
    }
}
