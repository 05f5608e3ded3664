package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.fieldNames;
import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests the pipeline refuses before any answer starts, each in the caller's error shape. */
class ProxyHandlerTest {
    private static final String ACCEPTED_MODELS = "Accepted models: opus, sonnet, haiku, fable, opusplan, opus[1m], "
            + "sonnet[1m], claude-opus-5-5, claude-sonnet-5-5, claude-haiku-5-5, claude-fable-5-2, "
            + "or any exact Claude model id (claude-...).";
    private static final int BODY_LIMIT = 1024;

    private final ScriptedEngine engine = ScriptedEngine.replying("unused");
    private final TestServer server = TestServer.with(engine).maxBodyBytes(BODY_LIMIT).start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void answersClaudeCodesConnectivityProbeWithAnEmptyOk() {
        HttpResponse<String> response = server.send(server.request("/api/hello")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void refusesMalformedJsonInOpenAiShape() {
        HttpResponse<String> response = server.post("/v1/chat/completions", "{\"model\": \"sonnet\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = openAiError(response);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).startsWith("The request body is not valid JSON: ");
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("code").isNull()).isTrue();
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesMalformedJsonInAnthropicShape() {
        HttpResponse<String> response = server.post("/v1/messages", "[1, 2");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = anthropicError(response);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).startsWith("The request body is not valid JSON: ");
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        HttpResponse<String> response = server.post("/v1/chat/completions", "[]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"The request body must be a JSON object.","type":"invalid_request_error",
                          "param":null,"code":null}}"""));
    }

    @Test
    void refusesAMissingModelInOpenAiShape() {
        HttpResponse<String> response = server.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"'model' is required and must be a string.","type":"invalid_request_error",
                          "param":"model","code":null}}"""));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAMissingModelInAnthropicShape() {
        HttpResponse<String> response = server.post("/v1/messages", """
                {"max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"invalid_request_error","message":"model: Field required"}}"""));
    }

    @Test
    void refusesAnUnknownModelNamingTheAcceptedOnes() {
        HttpResponse<String> response = server.post("/v1/chat/completions", """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"The model 'gpt-4o' is not available here. %s","type":"invalid_request_error",
                          "param":"model","code":null}}""".formatted(ACCEPTED_MODELS)));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesAnUnknownModelInAnthropicShape() {
        HttpResponse<String> response = server.post("/v1/messages", """
                {"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"invalid_request_error",
                 "message":"The model 'gpt-4o' is not available here. %s"}}""".formatted(ACCEPTED_MODELS)));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void answersAnUnknownPathWithJson404() {
        HttpResponse<String> response = server.get("/v1/embeddings");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"No such endpoint: GET /v1/embeddings.","type":"invalid_request_error",
                          "param":null,"code":"not_found"}}"""));
    }

    @Test
    void answersAnUnknownPathInAnthropicShapeWhenTheVersionHeaderIsSent() {
        HttpResponse<String> response = server.get("/v1/complete", "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"not_found_error",
                 "message":"No such endpoint: GET /v1/complete."}}"""));
    }

    @Test
    void answersAWrongMethodWith405AndAllow() {
        HttpResponse<String> response = server.get("/v1/chat/completions");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"Method GET is not allowed on /v1/chat/completions.",
                          "type":"invalid_request_error","param":null,"code":"method_not_allowed"}}"""));
    }

    @Test
    void answersAWrongMethodOnMessagesInAnthropicShape() {
        HttpResponse<String> response = server.get("/v1/messages");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"invalid_request_error",
                 "message":"Method GET is not allowed on /v1/messages."}}"""));
    }

    @Test
    void namesGetInAllowForReadOnlyPaths() {
        HttpResponse<String> health = server.post("/health", "{}");
        HttpResponse<String> model = server.post("/v1/models/sonnet", "{}");

        assertThat(health.statusCode()).isEqualTo(405);
        assertThat(health.headers().firstValue("Allow")).hasValue("GET");
        assertThat(model.statusCode()).isEqualTo(405);
        assertThat(model.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void refusesADeclaredBodyOverTheLimitIn413() {
        HttpResponse<String> response = server.post("/v1/chat/completions", bodyOfSize(BODY_LIMIT + 1));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"The request body is larger than the server's limit of 1024 bytes.",
                          "type":"invalid_request_error","param":null,"code":"request_too_large"}}"""));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void aChunkedBodyFarOverTheLimitStillGetsItsAnswerNotAReset() throws Exception {
        String chunk = "x".repeat(8 * 1024);
        try (RawHttp raw = server.raw()) {
            raw.sendRaw("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            // 512 KiB against a 1 KiB cap: far more than the 64 KiB the JDK would drain by itself
            for (int i = 0; i < 64; i++) {
                raw.sendRaw(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            raw.sendRaw("0\r\n\r\n");

            RawHttp.Response response = raw.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void tellsTheClientThatTheConnectionClosesWhenItsBodyWasNotRead() throws Exception {
        String body = bodyOfSize(BODY_LIMIT + 1);
        RawHttp.Response refused;
        RawHttp.Response answered;
        try (RawHttp keepAlive = server.raw()) {
            keepAlive.send(List.of("POST /v1/chat/completions HTTP/1.1", "Host: 127.0.0.1",
                    "Content-Type: application/json", "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length),
                    body);
            refused = keepAlive.readResponse();
        }
        try (RawHttp keepAlive = server.raw()) {
            keepAlive.send(List.of("GET /v1/models HTTP/1.1", "Host: 127.0.0.1"), "");
            answered = keepAlive.readResponse();
        }

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.header("connection")).isEqualToIgnoringCase("close");
        assertThat(answered.header("connection")).as("a request without a body keeps its connection")
                .isNotEqualToIgnoringCase("close");
    }

    @Test
    void refusesTrailingContentAfterTheJsonBody() {
        HttpResponse<String> response = server.post("/v1/chat/completions",
                "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}garbage");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void refusesABodyOverTheLimitIn413InAnthropicShape() {
        HttpResponse<String> response = server.post("/v1/messages", bodyOfSize(2 * BODY_LIMIT));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"request_too_large",
                 "message":"The request body is larger than the server's limit of 1024 bytes."}}"""));
    }

    @Test
    void acceptsABodyExactlyAtTheLimit() {
        HttpResponse<String> response = server.post("/v1/chat/completions", bodyOfSize(BODY_LIMIT));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitIn413() {
        byte[] body = bodyOfSize(3 * BODY_LIMIT).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = server.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = server.send(request);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(tree(response.body()).at("/error/code").asText()).isEqualTo("request_too_large");
        assertThat(engine.turns()).isEmpty();
    }

    /** The declared length alone decides, so the 413 must arrive while the upload is still going. */
    @Test
    void answersADeclaredOversizedBodyWithoutWaitingForIt() throws Exception {
        try (RawHttp raw = server.raw(Duration.ofSeconds(3))) {
            raw.send(List.of("POST /v1/chat/completions HTTP/1.1", "Host: 127.0.0.1:" + server.port(),
                    "Content-Type: application/json", "Content-Length: 10000000"), "{\"model\":\"sonnet\",");

            RawHttp.Head head = raw.readHead();

            assertThat(head.status()).isEqualTo(413);
        }
        assertThat(engine.turns()).isEmpty();
    }

    private static String bodyOfSize(int bytes) {
        String start = "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        String end = "\"}]}";
        return start + "x".repeat(bytes - start.length() - end.length()) + end;
    }

    private static JsonNode openAiError(HttpResponse<String> response) {
        JsonNode body = tree(response.body());
        assertThat(fieldNames(body)).containsExactly("error");
        assertThat(fieldNames(body.get("error"))).containsExactly("message", "type", "param", "code");
        return body.get("error");
    }

    private static JsonNode anthropicError(HttpResponse<String> response) {
        JsonNode body = tree(response.body());
        assertThat(fieldNames(body)).containsExactly("type", "error");
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(fieldNames(body.get("error"))).containsExactly("type", "message");
        return body.get("error");
    }
}
