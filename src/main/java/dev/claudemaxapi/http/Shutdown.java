package dev.claudemaxapi.http;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;

/**
 * The end of a graceful shutdown as answers see it: once the grace period is nearly over, answers still running are
 * cut, each in its own protocol (an in-band error event that the client can read, or a 503), rather than having
 * their connections closed under them.
 */
final class Shutdown {
    private volatile boolean cutting;

    void cutAnswers() {
        cutting = true;
    }

    /** @throws ProxyException (503) once answers are being cut */
    void checkNotCutting() {
        if (cutting) {
            throw new ProxyException(ErrorKind.UNAVAILABLE, "The server is shutting down; the answer was stopped.");
        }
    }
}
