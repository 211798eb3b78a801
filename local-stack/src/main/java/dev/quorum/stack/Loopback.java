package dev.quorum.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** The loopback address every local server binds to, and free ports on it. */
public final class Loopback {

    /** Literal IPv4 loopback: {@code localhost} may resolve to {@code ::1} or to a non-loopback address. */
    public static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /** How often a server's first start may pick new ports after losing its ports to another process. */
    public static final int FIRST_START_ATTEMPTS = 3;

    private static final String IN_USE = "Address already in use";

    /** A port that is free on {@link #HOST} right now; callers choose it once and keep it across restarts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on " + HOST, e);
        }
    }

    /**
     * Whether a server failed to start because its port was taken between choosing and binding
     * it (a race with any other process, an outgoing connection's local port included), as told
     * by the exception or by the server's log file.
     */
    public static boolean lostItsPort(Throwable failure, Path logFile) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains(IN_USE))) {
                return true;
            }
        }
        try {
            return logFile != null && Files.exists(logFile) && Files.readString(logFile).contains(IN_USE);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
