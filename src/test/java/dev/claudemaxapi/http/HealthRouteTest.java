package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestClock;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRouteTest {
    private static final String ASK = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";

    private final TestClock clock = new TestClock();
    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void reportsStatusUptimeCliAndIdleRequests() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");
        server = TestServer.with(engine).clock(clock).start();
        clock.advance(Duration.ofSeconds(42));

        HttpResponse<String> response = server.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"status":"ok",
                 "version":"dev",
                 "uptime_seconds":42,
                 "cli":{"path":"/opt/claude/bin/claude","version":"2.1.328 (Claude Code)"},
                 "requests":{"in_flight":0,"queued":0},
                 "engine":{"cold_starts":3},
                 "plan":[]}"""));
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void countsAnAnswerInFlightUntilItEnds() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(0));
        server = TestServer.with(engine).clock(clock).start();
        CompletableFuture<HttpResponse<String>> held = server.client().sendAsync(
                server.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(ASK)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

        HttpResponse<String> during = server.get("/health");
        engine.release();
        HttpResponse<String> answer = held.get(TestServer.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        HttpResponse<String> after = server.get("/health");

        assertThat(tree(during.body()).get("requests")).isEqualTo(tree("""
                {"in_flight":1,"queued":0}"""));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(tree(after.body()).get("requests")).isEqualTo(tree("""
                {"in_flight":0,"queued":0}"""));
    }

    @Test
    void answersWithoutAnApiKeyWhenKeysAreRequired() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");
        server = TestServer.with(engine).apiKeys("sk-test-key").start();

        HttpResponse<String> health = server.get("/health");
        HttpResponse<String> models = server.get("/v1/models");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(tree(health.body()).get("status").asText()).isEqualTo("ok");
        assertThat(models.statusCode()).as("the key check is on for other paths").isEqualTo(401);
    }

    @Test
    void showsOnlyStatusAndVersionToCallersWithoutAKey() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");
        server = TestServer.with(engine).apiKeys("sk-test-key").start();

        HttpResponse<String> open = server.get("/health");
        HttpResponse<String> wrongKey = server.get("/health", "Authorization", "Bearer sk-wrong");

        assertThat(tree(open.body())).isEqualTo(tree("""
                {"status":"ok","version":"dev"}"""));
        assertThat(open.body()).doesNotContain("/opt/claude");
        assertThat(tree(wrongKey.body())).isEqualTo(tree(open.body()));
    }

    @Test
    void showsTheDetailsToACallerWithAKey() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");
        server = TestServer.with(engine).apiKeys("sk-test-key").start();

        HttpResponse<String> keyed = server.get("/health", "Authorization", "Bearer sk-test-key");

        assertThat(tree(keyed.body()).get("cli").get("path").asText()).isEqualTo("/opt/claude/bin/claude");
        assertThat(tree(keyed.body()).get("requests")).isEqualTo(tree("""
                {"in_flight":0,"queued":0}"""));
    }
}
