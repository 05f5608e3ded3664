package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiErrorsTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void writesTheErrorShapeWithTheParamAtFault() throws IOException {
        byte[] body = OpenAiErrors.body(json, ProxyException.invalidParam("messages[1].role", "Unsupported role."));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"error": {"message": "Unsupported role.", "type": "invalid_request_error",
                           "param": "messages[1].role", "code": null}}"""));
    }

    @Test
    void writesANullParamWhenNoFieldIsAtFault() throws IOException {
        byte[] body = OpenAiErrors.body(json, new ProxyException(ErrorKind.RATE_LIMITED, "Slow down.", null,
                Duration.ofSeconds(3), null));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"error": {"message": "Slow down.", "type": "rate_limit_error", "param": null,
                           "code": "rate_limit_exceeded"}}"""));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "INVALID_REQUEST, invalid_request_error, NULL",
        "NOT_FOUND, invalid_request_error, not_found",
        "METHOD_NOT_ALLOWED, invalid_request_error, method_not_allowed",
        "REQUEST_TOO_LARGE, invalid_request_error, request_too_large",
        "AUTHENTICATION, authentication_error, invalid_api_key",
        "PERMISSION, permission_error, permission_denied",
        "RATE_LIMITED, rate_limit_error, rate_limit_exceeded",
        "INTERNAL, server_error, internal_error",
        "UPSTREAM_FAILED, server_error, upstream_error",
        "UNAVAILABLE, server_error, service_unavailable",
        "TIMEOUT, server_error, timeout",
        "OVERLOADED, server_error, overloaded",
    })
    void namesTypeAndCodeForEveryKind(ErrorKind kind, String type, String code) throws IOException {
        byte[] body = OpenAiErrors.body(json, new ProxyException(kind, "m"));

        assertThat(json.readTree(body).get("error").get("type").asText()).isEqualTo(type);
        assertThat(json.readTree(body).get("error").get("code").textValue()).isEqualTo(code);
    }
}
