package dev.claudemaxapi.engine.cli;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.time.Duration;

/** Maps a failed CLI turn to the error the API client is told, with an honest status. */
final class CliFailures {
    private CliFailures() {}

    static ProxyException fromResult(CliLine.Result result, CliLine.ApiErrorMessage apiError, CliLine.ApiRetry retry) {
        Integer status = result.apiErrorStatus() != null ? result.apiErrorStatus()
                : apiError != null ? apiError.apiErrorStatus() : null;
        String errorType = apiError != null ? apiError.error() : null;
        String detail = firstNonBlank(result.resultText(), apiError != null ? apiError.text() : null,
                String.join("; ", result.errors()));
        if (result.terminalReason() != null && result.terminalReason().startsWith("aborted")) {
            return new ProxyException(ErrorKind.UPSTREAM_FAILED, "The answer was interrupted before it finished.");
        }
        ErrorKind kind = kindOf(status, errorType);
        String message = switch (kind) {
            case AUTHENTICATION -> "The Claude CLI on the server is not logged in or its credentials were refused ("
                    + detail + "). Log in with 'claude' (/login) or set CLAUDE_CODE_OAUTH_TOKEN for the server.";
            case RATE_LIMITED -> "Rate limited by the Claude API: " + detail;
            case OVERLOADED -> "The Claude API is overloaded: " + detail;
            default -> detail.isEmpty() ? "The Claude CLI failed without saying why." : detail;
        };
        Duration retryAfter = kind == ErrorKind.RATE_LIMITED && retry != null && retry.retryDelayMs() > 0
                ? Duration.ofMillis(retry.retryDelayMs()) : null;
        return new ProxyException(kind, message, null, retryAfter, null);
    }

    static ErrorKind kindOf(Integer status, String errorType) {
        if (status != null) {
            return switch (status) {
                case 400, 422 -> ErrorKind.INVALID_REQUEST;
                case 401 -> ErrorKind.AUTHENTICATION;
                case 403 -> ErrorKind.PERMISSION;
                case 404 -> ErrorKind.NOT_FOUND;
                case 413 -> ErrorKind.REQUEST_TOO_LARGE;
                case 429 -> ErrorKind.RATE_LIMITED;
                case 529 -> ErrorKind.OVERLOADED;
                case 503 -> ErrorKind.UNAVAILABLE;
                default -> ErrorKind.UPSTREAM_FAILED;
            };
        }
        if (errorType == null) {
            return ErrorKind.UPSTREAM_FAILED;
        }
        return switch (errorType) {
            case "authentication_failed" -> ErrorKind.AUTHENTICATION;
            case "rate_limit" -> ErrorKind.RATE_LIMITED;
            case "overloaded" -> ErrorKind.OVERLOADED;
            case "invalid_request" -> ErrorKind.INVALID_REQUEST;
            default -> ErrorKind.UPSTREAM_FAILED;
        };
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "";
    }
}
