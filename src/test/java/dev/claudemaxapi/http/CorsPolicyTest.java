package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {
    private static final String CHAT = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String APP = "https://app.example";

    private final ScriptedEngine engine = ScriptedEngine.replying("Hello");
    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer serve(String... origins) {
        server = TestServer.with(engine).corsOrigins(origins).start();
        return server;
    }

    private HttpResponse<String> preflight(String origin) {
        return server.send(server.request("/v1/chat/completions", "Origin", origin,
                        "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void servesRequestsWithoutAnOriginAndAddsNoCorsHeaders() {
        HttpResponse<String> response = serve().post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(engine.turns()).hasSize(1);
    }

    @Test
    void refusesAForeignOriginWithoutCallingTheEngine() {
        HttpResponse<String> response = serve().post("/v1/chat/completions", CHAT, "Origin", "https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"Origin 'https://evil.example' is not allowed. \
                Start the server with --cors-origin to allow it.",
                          "type":"permission_error","param":null,"code":"permission_denied"}}"""));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAnOriginThatIsNotOneOfTheAllowedOnes() {
        HttpResponse<String> response = serve(APP).post("/v1/messages", """
                {"model":"sonnet","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}""",
                "Origin", "https://app.example.evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(tree(response.body()).at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void echoesAnAllowedOrigin() {
        HttpResponse<String> response = serve(APP).post("/v1/chat/completions", CHAT, "Origin", APP);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(response.headers().allValues("Vary")).contains("Origin");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).hasValue("Retry-After, request-id");
        assertThat(engine.turns()).hasSize(1);
    }

    @Test
    void echoesAnyOriginWhenAllAreAllowed() {
        HttpResponse<String> response = serve("*").get("/v1/models", "Origin", "http://localhost:5173");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
    }

    @Test
    void letsAnAllowedOriginReadErrors() {
        server = TestServer.with(engine).corsOrigins(APP).apiKeys("sk-key").start();

        HttpResponse<String> response = server.post("/v1/chat/completions", CHAT, "Origin", APP);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    }

    @Test
    void answersAPreflightWith204AndTheAllowedMethodsAndHeaders() {
        serve(APP);

        HttpResponse<String> response = preflight(APP);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().split(", "))
                .contains("Authorization", "Content-Type", "x-api-key", "anthropic-version", "anthropic-beta");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void answersAPreflightWithoutAnApiKey() {
        server = TestServer.with(engine).corsOrigins(APP).apiKeys("sk-key").start();

        HttpResponse<String> response = preflight(APP);

        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Test
    void refusesAPreflightFromAForeignOrigin() {
        serve(APP);

        HttpResponse<String> response = preflight("https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    }
}
