package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;

/** OpenAI's error shape: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {
    private OpenAiErrors() {}

    record ErrorBody(Detail error) {}

    record Detail(String message, String type, String param, String code) {}

    public static byte[] body(ObjectMapper json, ProxyException failure) {
        return Json.write(json, new ErrorBody(new Detail(failure.getMessage(), type(failure.kind()),
                failure.param().orElse(null), failure.code().orElseGet(() -> code(failure.kind())))));
    }

    static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case RATE_LIMITED -> "rate_limit_error";
            case INTERNAL, UPSTREAM_FAILED, UNAVAILABLE, TIMEOUT, OVERLOADED -> "server_error";
        };
    }

    static String code(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> null;
            case NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case AUTHENTICATION -> "invalid_api_key";
            case PERMISSION -> "permission_denied";
            case RATE_LIMITED -> "rate_limit_exceeded";
            case INTERNAL -> "internal_error";
            case UPSTREAM_FAILED -> "upstream_error";
            case UNAVAILABLE -> "service_unavailable";
            case TIMEOUT -> "timeout";
            case OVERLOADED -> "overloaded";
        };
    }
}
