package dev.claudemaxapi.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure whose message is safe to show to the API client. Thrown where it is detected, rendered once by the
 * HTTP layer in the client's own error shape.
 */
public final class ProxyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String param;
    private final Duration retryAfter;
    private final String code;

    public ProxyException(ErrorKind kind, String message) {
        this(kind, message, null, null, null);
    }

    public ProxyException(ErrorKind kind, String message, String param, Duration retryAfter, Throwable cause) {
        this(kind, message, param, retryAfter, cause, null);
    }

    private ProxyException(ErrorKind kind, String message, String param, Duration retryAfter, Throwable cause,
            String code) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
        this.retryAfter = retryAfter;
        this.code = code;
    }

    /** The same failure with an API-specific error code that clients look for, such as OpenAI's. */
    public ProxyException withCode(String apiCode) {
        return new ProxyException(kind, getMessage(), param, retryAfter, getCause(), apiCode);
    }

    /** The error code a client may switch on, when one more specific than the kind's applies. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public static ProxyException invalid(String message) {
        return new ProxyException(ErrorKind.INVALID_REQUEST, message);
    }

    public static ProxyException invalidParam(String param, String message) {
        return new ProxyException(ErrorKind.INVALID_REQUEST, message, param, null, null);
    }

    public ErrorKind kind() {
        return kind;
    }

    public int status() {
        return kind.status();
    }

    /** The request field at fault, if one is. */
    public Optional<String> param() {
        return Optional.ofNullable(param);
    }

    /** When the client may try again, if known. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
