package dev.claudemaxapi.http;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that request bodies may take, shared by all requests, so that several large bodies at once are queued or
 * refused instead of running the server out of memory. A body costs a few times its size while it is in use: the
 * bytes, the parsed tree, the conversation and the encoded CLI input; {@link #COST_PER_BYTE} covers that. Bodies
 * reserve as they are read (all at once when their length is declared) and give everything back when their request
 * ends.
 */
final class BodyBudget {
    static final int COST_PER_BYTE = 4;
    private static final long UNIT = 1024;

    private final Semaphore units;
    private final long totalBytes;
    private final Duration wait;

    /** @param totalBytes heap set aside for request bodies, counted at {@link #COST_PER_BYTE} per body byte */
    BodyBudget(long totalBytes, Duration wait) {
        this.totalBytes = totalBytes;
        this.units = new Semaphore((int) Math.min(Integer.MAX_VALUE, totalBytes / UNIT), true);
        this.wait = wait;
    }

    /** Half of the JVM's maximum heap. */
    static BodyBudget forThisJvm() {
        return new BodyBudget(Runtime.getRuntime().maxMemory() / 2, Duration.ofSeconds(15));
    }

    /** What one request holds; closed when the request ends. */
    final class Reservation implements AutoCloseable {
        private long heldUnits;

        /**
         * Grows the reservation to cover a body of {@code bodyBytes}.
         *
         * @throws ProxyException 413 when one body alone is more than the server can hold, 503 when others hold the
         *     budget for longer than the wait
         */
        void cover(long bodyBytes) throws InterruptedException {
            long needed = units(bodyBytes * COST_PER_BYTE) - heldUnits;
            if (needed <= 0) {
                return;
            }
            if (bodyBytes * COST_PER_BYTE > totalBytes) {
                throw new ProxyException(ErrorKind.REQUEST_TOO_LARGE, "The request body is larger than this server's"
                        + " memory allows (" + totalBytes / COST_PER_BYTE / (1024 * 1024) + " MB); give it a larger"
                        + " heap (-Xmx) or send less.");
            }
            if (!units.tryAcquire((int) needed, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ProxyException(ErrorKind.UNAVAILABLE, "The server is busy with other large requests; try"
                        + " again shortly.", null, Duration.ofSeconds(1), null);
            }
            heldUnits += needed;
        }

        @Override
        public void close() {
            if (heldUnits > 0) {
                units.release((int) heldUnits);
                heldUnits = 0;
            }
        }
    }

    Reservation reserve() {
        return new Reservation();
    }

    private static long units(long bytes) {
        return (bytes + UNIT - 1) / UNIT;
    }

    /** Bytes of budget free now, for tests. */
    long available() {
        return (long) units.availablePermits() * UNIT;
    }
}
