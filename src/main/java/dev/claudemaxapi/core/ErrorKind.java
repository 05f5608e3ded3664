package dev.claudemaxapi.core;

/** The failures a client can be told about, each with the HTTP status it is answered with. */
public enum ErrorKind {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    PERMISSION(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    REQUEST_TOO_LARGE(413),
    RATE_LIMITED(429),
    INTERNAL(500),
    UPSTREAM_FAILED(502),
    UNAVAILABLE(503),
    TIMEOUT(504),
    /** Anthropic's own status for an overloaded API. */
    OVERLOADED(529);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
