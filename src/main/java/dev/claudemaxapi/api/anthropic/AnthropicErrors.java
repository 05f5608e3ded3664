package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;

/** Anthropic's error shape: {@code {"type":"error","error":{"type","message"}}}. */
public final class AnthropicErrors {
    private AnthropicErrors() {}

    record ErrorBody(String type, Detail error) {}

    record Detail(String type, String message) {}

    public static byte[] body(ObjectMapper json, ProxyException failure) {
        return Json.write(json, new ErrorBody("error", new Detail(type(failure.kind()), failure.getMessage())));
    }

    static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMITED -> "rate_limit_error";
            case TIMEOUT -> "timeout_error";
            case OVERLOADED, UNAVAILABLE -> "overloaded_error";
            case INTERNAL, UPSTREAM_FAILED -> "api_error";
        };
    }
}
