package dev.quorum.stack.junit;

import dev.quorum.stack.kafka.EmbeddedKafka;
import dev.quorum.stack.postgres.EmbeddedPostgres;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafka
@WithPostgres
@EnabledOnOs(OS.LINUX)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoopbackOnlyIT {

    // 127.0.0.1 as /proc/net/tcp writes it, and as /proc/net/tcp6 writes ::ffff:127.0.0.1 (a JVM's dual-stack socket)
    private static final String IPV4_LOOPBACK = "0100007F";
    private static final String IPV4_MAPPED_LOOPBACK = "0000000000000000FFFF00000100007F";
    private static final String LISTEN = "0A";

    @Test
    void the_broker_the_controller_and_postgresql_listen_on_127_0_0_1_and_nowhere_else(EmbeddedKafka kafka, EmbeddedPostgres postgres) throws IOException {
        // Given
        Set<Integer> ports = Set.of(kafka.port(), kafka.controllerPort(), postgres.port());

        // When
        List<Listener> listeners = new ArrayList<>(listeners(Path.of("/proc/net/tcp")));
        listeners.addAll(listeners(Path.of("/proc/net/tcp6")));

        // Then
        List<Listener> ours = listeners.stream().filter(l -> ports.contains(l.port())).toList();
        assertThat(ours).extracting(Listener::port).containsExactlyInAnyOrderElementsOf(ports);
        assertThat(ours).extracting(Listener::address).containsOnly(IPV4_LOOPBACK, IPV4_MAPPED_LOOPBACK);
    }

    private record Listener(String address, int port) {
    }

    /** The listening sockets of a /proc/net/tcp file: "sl local_address rem_address st ...", addresses as HEX:PORT. */
    private static List<Listener> listeners(Path table) throws IOException {
        if (!Files.exists(table)) {
            return List.of();
        }
        return Files.readAllLines(table).stream().skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields[3].equals(LISTEN))
                .map(fields -> fields[1].split(":"))
                .map(local -> new Listener(local[0], Integer.parseInt(local[1], 16)))
                .toList();
    }
}
