package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelsRouteTest {
    private static final String ANTHROPIC_VERSION = "2023-06-01";

    private final ScriptedEngine engine = ScriptedEngine.replying("unused");
    private final TestServer server = TestServer.with(engine)
            .catalog(new ModelCatalog(Map.of("Fast", "haiku")))
            .start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void listsModelsInOpenAiFormat() {
        HttpResponse<String> response = server.get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"object":"list","data":[
                  {"id":"claude-opus-5-5","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"claude-sonnet-5-5","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"claude-haiku-5-5","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"claude-fable-5-2","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"opus","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"sonnet","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"haiku","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"fable","object":"model","created":1795564800,"owned_by":"anthropic"},
                  {"id":"fast","object":"model","created":1795564800,"owned_by":"anthropic"}]}"""));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void listsModelsInAnthropicFormatWhenTheVersionHeaderIsSent() {
        HttpResponse<String> response = server.get("/v1/models", "anthropic-version", ANTHROPIC_VERSION);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"data":[
                  {"type":"model","id":"claude-opus-5-5","display_name":"Claude Opus 5.5",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"claude-sonnet-5-5","display_name":"Claude Sonnet 5.5",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"claude-haiku-5-5","display_name":"Claude Haiku 5.5",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"claude-fable-5-2","display_name":"Claude Fable 5.2",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"opus","display_name":"Claude Opus (latest)",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"sonnet","display_name":"Claude Sonnet (latest)",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"haiku","display_name":"Claude Haiku (latest)",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"fable","display_name":"Claude Fable (latest)",
                   "created_at":"2026-11-25T00:00:00Z"},
                  {"type":"model","id":"fast","display_name":"fast (alias of haiku)",
                   "created_at":"2026-11-25T00:00:00Z"}],
                 "has_more":false,"first_id":"claude-opus-5-5","last_id":"fast"}"""));
    }

    @Test
    void showsOneModelInOpenAiFormat() {
        HttpResponse<String> response = server.get("/v1/models/claude-opus-5-5");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"id":"claude-opus-5-5","object":"model","created":1795564800,"owned_by":"anthropic"}"""));
    }

    @Test
    void showsOneModelInAnthropicFormatWhenTheVersionHeaderIsSent() {
        HttpResponse<String> response =
                server.get("/v1/models/claude-opus-5-5", "anthropic-version", ANTHROPIC_VERSION);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"model","id":"claude-opus-5-5","display_name":"Claude Opus 5.5",
                 "created_at":"2026-11-25T00:00:00Z"}"""));
    }

    @Test
    void showsAnUnlistedNameThatStillResolves() {
        HttpResponse<String> response = server.get("/v1/models/claude-sonnet-4-20250514");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"id":"claude-sonnet-4-20250514","object":"model","created":1795564800,"owned_by":"anthropic"}"""));
    }

    @Test
    void answersAnUnknownModelWithOpenAiNotFound() {
        HttpResponse<String> response = server.get("/v1/models/gpt-4o");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"The model 'gpt-4o' does not exist.","type":"invalid_request_error",
                          "param":"model","code":"not_found"}}"""));
    }

    @Test
    void answersAnUnknownModelWithAnthropicNotFoundWhenTheVersionHeaderIsSent() {
        HttpResponse<String> response = server.get("/v1/models/gpt-4o", "anthropic-version", ANTHROPIC_VERSION);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"not_found_error","message":"The model 'gpt-4o' does not exist."}}"""));
    }
}
