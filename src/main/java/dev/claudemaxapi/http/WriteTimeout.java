package dev.claudemaxapi.http;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A write timeout for the JDK server, which has none: a client that stops reading would otherwise block its writer,
 * and with it a request slot and a CLI process, forever.
 *
 * <p>The JDK server writes to a blocking {@code SocketChannel}, an interruptible channel: interrupting the thread
 * blocked in a write closes the channel and ends the write with a {@code ClosedByInterruptException}. A guarded
 * stream records each write in progress; a ticker interrupts the writer of any write older than the limit. The
 * interrupt is sent and the write finished under one lock per write, so an interrupt never lands after the write
 * has returned, and the flag it leaves is cleared before the writer goes on.
 */
final class WriteTimeout implements AutoCloseable {
    private static final long TICK_MILLIS = 250;

    private final long limitNanos;
    private final Set<Write> inProgress = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    WriteTimeout(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("write-timeout")
                .factory());
        ticker.scheduleWithFixedDelay(this::expire, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@code out}, with every write and flush bounded by the limit. */
    OutputStream guard(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                timed(() -> out.write(bytes, offset, length));
            }

            @Override
            public void write(int b) throws IOException {
                timed(() -> out.write(b));
            }

            @Override
            public void flush() throws IOException {
                timed(out::flush);
            }

            @Override
            public void close() throws IOException {
                timed(out::close);
            }
        };
    }

    private interface Io {
        void run() throws IOException;
    }

    private void timed(Io io) throws IOException {
        Write write = new Write(Thread.currentThread(), System.nanoTime() + limitNanos);
        inProgress.add(write);
        IOException failure = null;
        try {
            io.run();
        } catch (IOException e) {
            failure = e;
        } finally {
            inProgress.remove(write);
        }
        if (!write.finish()) {
            Thread.interrupted();
            InterruptedIOException timedOut = new InterruptedIOException(
                    "the client read nothing for " + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s");
            if (failure != null) {
                timedOut.initCause(failure);
            }
            throw timedOut;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Write write : inProgress) {
            if (now - write.deadline > 0) {
                write.expire();
            }
        }
    }

    /** One write in progress. */
    private static final class Write {
        private final Thread writer;
        private final long deadline;
        private boolean finished;
        private boolean expired;

        Write(Thread writer, long deadline) {
            this.writer = writer;
            this.deadline = deadline;
        }

        synchronized void expire() {
            if (!finished && !expired) {
                expired = true;
                writer.interrupt();
            }
        }

        /** @return false if the write had expired: the connection is closed and the caller was interrupted */
        synchronized boolean finish() {
            finished = true;
            return !expired;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
