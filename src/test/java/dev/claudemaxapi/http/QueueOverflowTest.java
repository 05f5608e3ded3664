package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The concurrency cap seen from clients: a full server answers 429 with Retry-After in the caller's shape. */
class QueueOverflowTest {
    private static final String CHAT = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String MESSAGES = """
            {"model":"sonnet","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String FULL = "Too many requests: 1 running and 0 queued. Try again shortly.";

    private final ScriptedEngine engine =
            ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").holdingAt(0));
    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer serve(int maxConcurrent, int maxQueue) {
        server = TestServer.with(engine).admission(new Admission(maxConcurrent, maxQueue, Duration.ofSeconds(5)))
                .start();
        return server;
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return server.client().sendAsync(server.request(path).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> response) throws Exception {
        return response.get(TestServer.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void refusesASecondAnswerWith429InOpenAiShapeWhileOneRuns() throws Exception {
        serve(1, 0);
        CompletableFuture<HttpResponse<String>> first = postAsync("/v1/chat/completions", CHAT);
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

        HttpResponse<String> second = server.post("/v1/chat/completions", CHAT);

        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(tree(second.body())).isEqualTo(tree("""
                {"error":{"message":"%s","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}"""
                .formatted(FULL)));
        engine.release();
        assertThat(await(first).statusCode()).isEqualTo(200);
        assertThat(engine.turns()).hasSize(1);
    }

    @Test
    void refusesASecondAnswerWith429InAnthropicShapeWhileOneRuns() throws Exception {
        serve(1, 0);
        CompletableFuture<HttpResponse<String>> first = postAsync("/v1/chat/completions", CHAT);
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();

        HttpResponse<String> second = server.post("/v1/messages", MESSAGES);

        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(tree(second.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"rate_limit_error","message":"%s"}}""".formatted(FULL)));
        engine.release();
        assertThat(tree(await(first).body()).at("/choices/0/message/content").asText()).isEqualTo("Hello world");
    }

    @Test
    void admitsTheNextAnswerOnceTheRunningOneEnds() throws Exception {
        serve(1, 0);
        CompletableFuture<HttpResponse<String>> first = postAsync("/v1/chat/completions", CHAT);
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();
        engine.release();
        assertThat(await(first).statusCode()).isEqualTo(200);

        HttpResponse<String> next = server.post("/v1/messages", MESSAGES);

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(engine.turns()).hasSize(2);
    }

    @Test
    void queuesUpToMaxQueueAndRefusesTheRest() throws Exception {
        serve(1, 1);
        CompletableFuture<HttpResponse<String>> running = postAsync("/v1/chat/completions", CHAT);
        assertThat(engine.awaitStarted(TestServer.TIMEOUT)).isTrue();
        CompletableFuture<HttpResponse<String>> queued = postAsync("/v1/messages", MESSAGES);
        awaitQueued(1);

        HttpResponse<String> refused = server.post("/v1/chat/completions", CHAT);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(tree(refused.body()).at("/error/message").asText())
                .isEqualTo("Too many requests: 1 running and 1 queued. Try again shortly.");
        engine.release();
        assertThat(await(running).statusCode()).isEqualTo(200);
        assertThat(await(queued).statusCode()).isEqualTo(200);
        assertThat(engine.turns()).hasSize(2);
    }

    /** Polls /health until {@code n} requests wait in the queue, with a deadline. */
    private void awaitQueued(int n) {
        long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
        while (tree(server.get("/health").body()).at("/requests/queued").asInt() != n) {
            assertThat(System.nanoTime()).as("queued never reached " + n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
