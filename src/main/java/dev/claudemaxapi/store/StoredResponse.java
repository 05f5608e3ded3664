package dev.claudemaxapi.store;

import dev.claudemaxapi.core.Caller;
import java.nio.charset.StandardCharsets;
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

    /** Roughly what it takes on disk (its text as UTF-8, plus the row's overhead), for the store's size bound. */
    long bytes() {
        return utf8(id) + utf8(caller.id()) + previousId.map(StoredResponse::utf8).orElse(0L) + utf8(input)
                + utf8(response) + 64L;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
