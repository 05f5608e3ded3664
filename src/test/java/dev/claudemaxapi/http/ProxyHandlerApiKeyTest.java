package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API key stage of the pipeline, over HTTP; {@code ApiKeyCheckTest} covers the key comparison itself. */
class ProxyHandlerApiKeyTest {
    private static final String CHAT = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String MESSAGES = """
            {"model":"sonnet","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String REFUSAL =
            "Invalid or missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.";

    private final ScriptedEngine engine = ScriptedEngine.replying("Hello");
    private final TestServer server = TestServer.with(engine).apiKeys("sk-first-key", "sk-second-key").start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void refusesAMissingKeyInOpenAiShape() {
        HttpResponse<String> response = server.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"%s","type":"authentication_error","param":null,"code":"invalid_api_key"}}"""
                .formatted(REFUSAL)));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAMissingKeyInAnthropicShape() {
        HttpResponse<String> response = server.post("/v1/messages", MESSAGES, "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"authentication_error","message":"%s"}}""".formatted(REFUSAL)));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAWrongBearerKey() {
        HttpResponse<String> response =
                server.post("/v1/chat/completions", CHAT, "Authorization", "Bearer sk-first-kez");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(tree(response.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAWrongXApiKey() {
        HttpResponse<String> response = server.post("/v1/messages", MESSAGES, "x-api-key", "sk-first-key-and-more");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(tree(response.body()).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAnEmptyBearerKey() {
        HttpResponse<String> response = server.post("/v1/chat/completions", CHAT, "Authorization", "Bearer ");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void acceptsAKeySentAsBearer() {
        HttpResponse<String> response =
                server.post("/v1/chat/completions", CHAT, "Authorization", "Bearer sk-first-key");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("Hello");
    }

    @Test
    void acceptsAKeySentAsXApiKey() {
        HttpResponse<String> response = server.post("/v1/messages", MESSAGES, "x-api-key", "sk-second-key");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body()).at("/content/0/text").asText()).isEqualTo("Hello");
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() {
        HttpResponse<String> response =
                server.post("/v1/messages", MESSAGES, "Authorization", "bearer sk-second-key");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void refusesModelListingWithoutAKeyInTheDialectAsked() {
        HttpResponse<String> openAi = server.get("/v1/models");
        HttpResponse<String> anthropic = server.get("/v1/models", "anthropic-version", "2023-06-01");

        assertThat(openAi.statusCode()).isEqualTo(401);
        assertThat(tree(openAi.body()).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(anthropic.statusCode()).isEqualTo(401);
        assertThat(tree(anthropic.body()).get("type").asText()).isEqualTo("error");
    }

    @Test
    void leavesHealthOpenWithoutAKey() {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
}
