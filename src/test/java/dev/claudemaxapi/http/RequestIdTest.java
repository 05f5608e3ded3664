package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every response names its request: the client's own well-formed id, or a new one; errors and streams too. */
class RequestIdTest {
    private final TestServer server = TestServer.with(ScriptedEngine.replying("Hi")).start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aRequestWithoutAnIdGetsANewOneUnderBothSdksHeaderNames() {
        HttpResponse<String> first = server.get("/v1/models");
        HttpResponse<String> second = server.get("/v1/models");

        String id = first.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id).matches("req_[0-9a-f]{32}");
        assertThat(first.headers().firstValue("request-id")).hasValue(id);
        assertThat(second.headers().firstValue("x-request-id")).isNotEqualTo(first.headers().firstValue("x-request-id"));
    }

    @Test
    void aWellFormedClientIdIsKeptOnAnswersStreamsAndErrors() {
        HttpResponse<String> answer = server.post("/v1/chat/completions",
                "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "x-request-id", "trace-1");
        HttpResponse<String> stream = server.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":9,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "x-request-id", "trace-2");
        HttpResponse<String> error = server.post("/v1/chat/completions", "{", "x-request-id", "trace-3");

        assertThat(answer.headers().firstValue("x-request-id")).hasValue("trace-1");
        assertThat(stream.headers().firstValue("x-request-id")).hasValue("trace-2");
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.headers().firstValue("x-request-id")).hasValue("trace-3");
    }

    @Test
    void anIdThatCouldBreakALogLineOrAHeaderIsReplaced() {
        assertThat(RequestIds.accepted("a b")).isEmpty();
        assertThat(RequestIds.accepted("id\"=1")).isEmpty();
        assertThat(RequestIds.accepted("x".repeat(129))).isEmpty();
        assertThat(RequestIds.accepted("-leading-dash")).isEmpty();
        assertThat(RequestIds.accepted("req_01:abc.def-9")).hasValue("req_01:abc.def-9");

        HttpResponse<String> response = server.get("/v1/models", "x-request-id", "a;b");

        assertThat(response.headers().firstValue("x-request-id").orElseThrow()).startsWith("req_");
    }
}
