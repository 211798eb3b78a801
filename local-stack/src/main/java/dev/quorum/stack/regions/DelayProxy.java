package dev.quorum.stack.regions;

import dev.quorum.stack.Loopback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that holds every chunk of bytes for a fixed one-way delay in each direction, so
 * that a client behind it sees a cross-region round trip (region B's connections to the database endpoint
 * of a multi-region cluster, on one machine). Order and content are kept; closing either side closes both.
 */
public final class DelayProxy implements AutoCloseable {

    /** The round trip region B's database connections get by default: a nearby region pair. */
    public static final Duration DEFAULT_ROUND_TRIP = Duration.ofMillis(30);

    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final String upstreamHost;
    private final int upstreamPort;
    private final long oneWayNanos;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DelayProxy(String upstreamHost, int upstreamPort, Duration roundTrip, int port) {
        if (roundTrip.isNegative()) throw new IllegalArgumentException("a round trip cannot be negative: " + roundTrip);
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.oneWayNanos = roundTrip.toNanos() / 2;
        try {
            this.server = new ServerSocket(port, 50, InetAddress.getByName(Loopback.HOST));
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + Loopback.HOST + ":" + port, e);
        }
        Thread.ofVirtual().name("delay-proxy-accept-" + server.getLocalPort()).start(this::accept);
    }

    /** Listens on a free loopback port and forwards to {@code upstreamHost:upstreamPort} with {@code roundTrip} added. */
    public static DelayProxy start(String upstreamHost, int upstreamPort, Duration roundTrip) {
        return new DelayProxy(upstreamHost, upstreamPort, roundTrip, 0);
    }

    /** The same on a given port (0: a free one). */
    public static DelayProxy start(String upstreamHost, int upstreamPort, Duration roundTrip, int port) {
        return new DelayProxy(upstreamHost, upstreamPort, roundTrip, port);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String host() {
        return Loopback.HOST;
    }

    /** What the proxy adds to a request and its answer. */
    public Duration roundTrip() {
        return Duration.ofNanos(oneWayNanos * 2);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 10_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue; // the client sees its connection closed, as it would the server's refusal
            }
            sockets.add(client);
            sockets.add(upstream);
            pipe(client, upstream);
            pipe(upstream, client);
        }
    }

    /** One direction: a reader stamps chunks as they arrive, a writer sends each once its delay has passed. */
    private void pipe(Socket from, Socket to) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    queue.add(new Chunk(System.nanoTime() + oneWayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // the connection is gone: pass the end on
            }
            queue.add(new Chunk(System.nanoTime() + oneWayNanos, END));
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait = chunk.due - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                    if (chunk.bytes == END) break;
                    out.write(chunk.bytes);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(from);
            closeQuietly(to);
        });
    }

    private record Chunk(long due, byte[] bytes) {}

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening and closes every connection through it. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : Set.copyOf(sockets)) closeQuietly(socket);
    }
}
