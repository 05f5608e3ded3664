package dev.claudemaxapi.core;

import java.util.Objects;

/**
 * Who sent a request, as far as the server can tell: the API key it presented (by a digest, never the key itself), or
 * {@link #ANONYMOUS} when the server needs no key. Whatever the engine keeps between requests (live conversations,
 * held tool rounds) belongs to one caller, so another key can never continue it.
 *
 * @param id a stable, non-secret identifier
 */
public record Caller(String id) {
    /** Every request of a server that needs no key. */
    public static final Caller ANONYMOUS = new Caller("anonymous");

    public Caller {
        Objects.requireNonNull(id, "id");
    }
}
