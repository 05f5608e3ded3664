package dev.claudemaxapi.store;

import dev.claudemaxapi.core.Caller;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One kept Responses API response, as JSON text the store does not read.
 *
 * @param previousId the response it continues, if any
 * @param input      the input items its request added, as a JSON array
 * @param response   the response object as the client got it
 */
public record StoredResponse(String id, Caller caller, Optional<String> previousId, Instant createdAt, String input,
        String response) {
    public StoredResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(previousId, "previousId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(response, "response");
    }

    /** Roughly what it takes on disk, for the store's size bound. */
    long bytes() {
        return id.length() + caller.id().length() + previousId.map(String::length).orElse(0) + input.length()
                + response.length() + 64L;
    }
}
