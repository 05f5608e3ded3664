package dev.claudemaxapi.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorsTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void writesTheErrorShapeWithoutTheParam() throws IOException {
        byte[] body = AnthropicErrors.body(json, ProxyException.invalidParam("max_tokens", "max_tokens: Field required"));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"type": "error",
                 "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "INVALID_REQUEST, invalid_request_error",
        "METHOD_NOT_ALLOWED, invalid_request_error",
        "AUTHENTICATION, authentication_error",
        "PERMISSION, permission_error",
        "NOT_FOUND, not_found_error",
        "REQUEST_TOO_LARGE, request_too_large",
        "RATE_LIMITED, rate_limit_error",
        "TIMEOUT, timeout_error",
        "OVERLOADED, overloaded_error",
        "UNAVAILABLE, overloaded_error",
        "INTERNAL, api_error",
        "UPSTREAM_FAILED, api_error",
    })
    void namesAnthropicsTypeForEveryKind(ErrorKind kind, String type) throws IOException {
        byte[] body = AnthropicErrors.body(json, new ProxyException(kind, "m"));

        assertThat(json.readTree(body).at("/error/type").asText()).isEqualTo(type);
        assertThat(json.readTree(body).get("type").asText()).isEqualTo("error");
    }
}
