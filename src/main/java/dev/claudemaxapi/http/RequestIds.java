package dev.claudemaxapi.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request's id: the client's own {@code x-request-id} when it is a well-formed one (so a client's tracing
 * follows the request through this server's log), else a new one. It goes back as {@code x-request-id} (what the
 * OpenAI SDKs read) and {@code request-id} (what the Anthropic SDKs read), and onto the request's log line.
 */
final class RequestIds {
    /** Letters, digits and a few separators, up to 128: what fits in a header and a log line unquoted. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private RequestIds() {}

    static String of(String clientHeader) {
        return accepted(clientHeader).orElseGet(RequestIds::generate);
    }

    static Optional<String> accepted(String clientHeader) {
        return Optional.ofNullable(clientHeader).filter(id -> WELL_FORMED.matcher(id).matches());
    }

    static String generate() {
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}
