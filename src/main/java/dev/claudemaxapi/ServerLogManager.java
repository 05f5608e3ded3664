package dev.claudemaxapi;

import java.util.logging.LogManager;

/**
 * The JDK resets logging in a shutdown hook of its own, which runs alongside the server's: the log lines of
 * requests that finish during the shutdown grace period would be lost. This manager ignores that reset; the server's
 * shutdown hook ends logging with {@link #finish()} once the last request is done.
 *
 * <p>Installed by {@link Main} through {@code java.util.logging.manager} before any logger exists.
 */
public final class ServerLogManager extends LogManager {
    private volatile boolean finished;

    @Override
    public void reset() {
        if (finished) {
            super.reset();
        }
    }

    /** Flushes and closes the handlers; called last at shutdown. */
    void finish() {
        finished = true;
        super.reset();
    }

    /** The manager in use, if it is this one (it is not inside tests, which log through the JDK's own). */
    static void finishLogging() {
        if (LogManager.getLogManager() instanceof ServerLogManager manager) {
            manager.finish();
        }
    }
}
