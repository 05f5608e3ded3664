package dev.claudemaxapi.core;

import java.util.Objects;

/**
 * Who sent a request, as far as the server can tell: the API key it presented (by a digest, never the key itself), or
 * {@link #ANONYMOUS} when the server needs no key. Whatever the engine keeps between requests (live conversations,
 * held tool rounds, stored responses) belongs to one caller, so another key can never continue it.
 *
 * @param id   a stable, non-secret identifier, derived from the key: what ownership is decided by
 * @param name what the operator calls the key (usage, metrics, logs); renaming a key changes nothing it owns
 */
public record Caller(String id, String name) {
    /** Every request of a server that needs no key. */
    public static final Caller ANONYMOUS = new Caller("anonymous");

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /** A caller whose name is its id. */
    public Caller(String id) {
        this(id, id);
    }
}
