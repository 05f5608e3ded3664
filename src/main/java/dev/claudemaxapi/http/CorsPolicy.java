package dev.claudemaxapi.http;

import com.sun.net.httpserver.Headers;
import java.util.Set;

/**
 * Closed by default: a browser request from a page on another origin is refused outright, which also stops the
 * "simple" cross-site POSTs that a browser sends without asking first. Origins named by the operator get the usual
 * CORS headers and preflight answers.
 */
final class CorsPolicy {
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, x-api-key, anthropic-version, "
            + "anthropic-beta, anthropic-dangerous-direct-browser-access, OpenAI-Organization, OpenAI-Project, "
            + "x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, "
            + "x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout";

    private final Set<String> allowedOrigins;

    CorsPolicy(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** Requests without an Origin come from non-browser clients and are always allowed. */
    boolean allows(String origin) {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    /** Adds the headers that let the allowed {@code origin} read the response. */
    void addHeaders(String origin, Headers responseHeaders) {
        if (origin == null) {
            return;
        }
        responseHeaders.set("Access-Control-Allow-Origin", origin);
        responseHeaders.add("Vary", "Origin");
        responseHeaders.set("Access-Control-Expose-Headers", "Retry-After, request-id");
    }

    void addPreflightHeaders(Headers responseHeaders) {
        responseHeaders.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        responseHeaders.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        responseHeaders.set("Access-Control-Max-Age", "600");
    }
}
