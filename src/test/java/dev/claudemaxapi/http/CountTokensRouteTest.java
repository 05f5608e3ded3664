package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.fieldNames;
import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CountTokensRouteTest {
    private final ScriptedEngine engine = ScriptedEngine.replying("unused");
    private final TestServer server = TestServer.with(engine).start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void estimatesInputTokensWithoutCallingTheEngine() {
        HttpResponse<String> response = server.post("/v1/messages/count_tokens", """
                {"model":"sonnet","messages":[{"role":"user","content":"How many tokens is this sentence?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = tree(response.body());
        assertThat(fieldNames(body)).containsExactly("input_tokens");
        assertThat(body.get("input_tokens").isIntegralNumber()).isTrue();
        assertThat(body.get("input_tokens").asLong()).isPositive();
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void countsALongerConversationAsMoreTokens() {
        long short1 = tokens("""
                {"model":"sonnet","messages":[{"role":"user","content":"Hi"}]}""");
        long longer = tokens("""
                {"model":"sonnet","system":"You are a careful assistant who answers in full sentences.",
                 "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello! How can I help?"},
                             {"role":"user","content":"Explain server-sent events in two paragraphs."}]}""");

        assertThat(longer).isGreaterThan(short1);
    }

    @Test
    void refusesAnUnknownModelInAnthropicShape() {
        HttpResponse<String> response = server.post("/v1/messages/count_tokens", """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body()).get("type").asText()).isEqualTo("error");
        assertThat(tree(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(tree(response.body()).at("/error/message").asText())
                .startsWith("The model 'gpt-4o' is not available here. Accepted models: ");
        assertThat(engine.turns()).isEmpty();
    }

    private long tokens(String request) {
        HttpResponse<String> response = server.post("/v1/messages/count_tokens", request);
        assertThat(response.statusCode()).isEqualTo(200);
        return tree(response.body()).get("input_tokens").asLong();
    }
}
