package dev.quorum.stack.regions;

import dev.quorum.stack.Loopback;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DelayProxyTest {

    private ServerSocket echo;

    @AfterEach
    void close() throws IOException {
        if (echo != null) echo.close();
    }

    /** An upstream that sends back every byte it receives. */
    private int startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getByName(Loopback.HOST));
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return echo.getLocalPort();
    }

    @Test
    void bytes_pass_through_in_order_and_unchanged_in_both_directions() throws Exception {
        // Given a proxy to an echo server
        try (DelayProxy proxy = DelayProxy.start(Loopback.HOST, startEcho(), Duration.ofMillis(4));
             Socket client = new Socket(proxy.host(), proxy.port())) {
            byte[] sent = new byte[300_000];
            new Random(7).nextBytes(sent);

            // When a large message goes through, in many chunks
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(sent);
                    client.getOutputStream().flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = new byte[sent.length];
            new DataInputStream(client.getInputStream()).readFully(received);
            writer.join();

            // Then it comes back whole
            assertThat(received).isEqualTo(sent);
        }
    }

    @Test
    void a_request_and_its_answer_take_at_least_the_configured_round_trip() throws Exception {
        // Given a proxy adding a 200 ms round trip (a lower bound: a loaded machine only adds to it)
        Duration roundTrip = Duration.ofMillis(200);
        try (DelayProxy proxy = DelayProxy.start(Loopback.HOST, startEcho(), roundTrip);
             Socket client = new Socket(proxy.host(), proxy.port())) {
            client.getOutputStream().write(1);
            client.getInputStream().read(); // the connection is up

            // When one byte goes there and back
            long start = System.nanoTime();
            client.getOutputStream().write(2);
            int answer = client.getInputStream().read();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // Then the answer is held for the round trip
            assertThat(answer).isEqualTo(2);
            assertThat(took).isGreaterThanOrEqualTo(roundTrip);
            assertThat(proxy.roundTrip()).isEqualTo(roundTrip);
        }
    }

    @Test
    void closing_the_proxy_closes_the_connections_through_it() throws Exception {
        try (DelayProxy proxy = DelayProxy.start(Loopback.HOST, startEcho(), Duration.ZERO);
             Socket client = new Socket(proxy.host(), proxy.port())) {
            client.getOutputStream().write(1);
            assertThat(client.getInputStream().read()).isEqualTo(1);

            proxy.close();

            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void an_unreachable_upstream_closes_the_client_connection() throws Exception {
        int closedPort = Loopback.freePort();
        try (DelayProxy proxy = DelayProxy.start(Loopback.HOST, closedPort, Duration.ZERO);
             Socket client = new Socket(proxy.host(), proxy.port())) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void a_negative_round_trip_is_refused() {
        assertThatThrownBy(() -> DelayProxy.start(Loopback.HOST, 1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
}
