package dev.quorum.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The loopback address every local server binds to, and free ports on it. */
public final class Loopback {

    /** Literal IPv4 loopback: {@code localhost} may resolve to {@code ::1} or to a non-loopback address. */
    public static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /** A port that is free on {@link #HOST} right now; callers choose it once and keep it across restarts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on " + HOST, e);
        }
    }
}
