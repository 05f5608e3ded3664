package dev.claudemaxapi.http;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Tells whether the client of a connection has hung up, without writing to it. A server that has not sent its
 * status yet (a non-streaming answer, or a stream waiting for its first event) must not write, or it could no longer
 * send an honest error status; the JDK server offers no read on the socket either. So this looks the connection up
 * in the kernel's TCP table ({@code /proc/net/tcp} and {@code tcp6}, Linux): once the client has closed its side the
 * server's socket is in {@code CLOSE_WAIT}, and after a reset it is gone from the table.
 *
 * <p>Where there is no such table the answer is always "still there", and a gone client is noticed at the first
 * write instead.
 */
final class PeerProbe {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String CLOSE_WAIT = "08";
    /** How old a reading of the tables may be; every waiting request shares it, whatever their number. */
    private static final long FRESH_NANOS = Duration.ofMillis(200).toNanos();

    /** What the kernel says of one connection. */
    enum State { OPEN, PEER_CLOSED, NOT_LISTED, UNKNOWN }

    /** One reading of the tables: the state of each connection, by "local remote"; empty where none is readable. */
    private record Snapshot(long takenNanos, Optional<Map<String, String>> states) {}

    private final ReentrantLock lock = new ReentrantLock();
    private Snapshot snapshot = new Snapshot(System.nanoTime() - 2 * FRESH_NANOS, Optional.empty());

    /** A watcher for one connection, reading this probe's shared snapshots. */
    Watch watch(InetSocketAddress local, InetSocketAddress remote) {
        return new Watch(this, local, remote);
    }

    State state(InetSocketAddress local, InetSocketAddress remote) {
        Optional<Map<String, String>> states = current().states();
        if (states.isEmpty()) {
            return State.UNKNOWN;
        }
        for (String localForm : forms(local)) {
            for (String remoteForm : forms(remote)) {
                String state = states.get().get(localForm + " " + remoteForm);
                if (state != null) {
                    return state.equals(CLOSE_WAIT) ? State.PEER_CLOSED : State.OPEN;
                }
            }
        }
        return State.NOT_LISTED;
    }

    private Snapshot current() {
        lock.lock();
        try {
            if (System.nanoTime() - snapshot.takenNanos() > FRESH_NANOS) {
                snapshot = new Snapshot(System.nanoTime(), read());
            }
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    private static Optional<Map<String, String>> read() {
        Map<String, String> states = new HashMap<>();
        boolean readable = false;
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException | UnsupportedOperationException unavailable) {
                continue;
            }
            readable = true;
            for (String line : lines) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3) {
                    states.put(fields[1] + " " + fields[2], fields[3]);
                }
            }
        }
        return readable ? Optional.of(states) : Optional.empty();
    }

    /**
     * How an address and port are written in the tables: each 32-bit word of the address in the kernel's byte order
     * (little-endian here), then the port; an IPv4 address may also appear IPv4-mapped in {@code tcp6}.
     */
    static List<String> forms(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String port = String.format(Locale.ROOT, ":%04X", address.getPort());
        if (ip instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(ip.getAddress(), 0, mapped, 12, 4);
            return Stream.of(ip.getAddress(), mapped).map(bytes -> words(bytes) + port).toList();
        }
        return List.of(words(ip.getAddress()) + port);
    }

    private static String words(byte[] address) {
        StringBuilder out = new StringBuilder();
        for (int word = 0; word < address.length; word += 4) {
            for (int i = 3; i >= 0; i--) {
                out.append(HexFormat.of().withUpperCase().toHexDigits(address[word + i]));
            }
        }
        return out.toString();
    }

    /**
     * A connection's watcher: once it has seen the connection listed, an absence in two probes in a row means it
     * was reset (the kernel writes its table in pieces, so one probe can miss a socket that is there). A client that
     * closes its sending side after its request (a half-close, which HTTP clients do not do) counts as gone.
     */
    static final class Watch {
        private final PeerProbe probe;
        private final InetSocketAddress local;
        private final InetSocketAddress remote;
        private boolean seen;
        private int misses;

        private Watch(PeerProbe probe, InetSocketAddress local, InetSocketAddress remote) {
            this.probe = probe;
            this.local = local;
            this.remote = remote;
        }

        boolean clientGone() {
            if (local == null || remote == null || local.getAddress() == null || remote.getAddress() == null) {
                return false;
            }
            return switch (probe.state(local, remote)) {
                case OPEN -> {
                    seen = true;
                    misses = 0;
                    yield false;
                }
                case PEER_CLOSED -> true;
                case NOT_LISTED -> seen && ++misses >= 2;
                case UNKNOWN -> false;
            };
        }
    }
}
