package dev.claudemaxapi.core;

import java.time.Duration;

/**
 * The events of one answer, read by one thread.
 *
 * <p>{@link #close()} must always be called, and may be called more than once (later calls do nothing); closing a
 * stream that has not reached {@link Event.MessageStop} cancels the answer and releases whatever produced it (for the
 * CLI engine: the process is interrupted or killed).
 */
public interface EventStream extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for the next event.
     *
     * @return the next event, or {@code null} if none came in time (callers use the pause for heartbeats)
     * @throws ProxyException when the answer failed; the stream is finished after that
     * @throws IllegalStateException when called after {@link Event.MessageStop}
     */
    Event next(Duration timeout) throws InterruptedException;

    /** How the engine served this answer, for logs: for example {@code cold}. */
    default String servedAs() {
        return "cold";
    }

    @Override
    void close();
}
