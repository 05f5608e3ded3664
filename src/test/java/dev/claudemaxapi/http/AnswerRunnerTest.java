package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.chatId;
import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How answers reach the client when the engine fails, stays silent, or the client leaves: honest statuses before the
 * first byte, in-band errors after it, heartbeats while waiting, and a cancelled engine stream on hang-up.
 */
class AnswerRunnerTest {
    private static final String CHAT = """
            {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String CHAT_STREAMED = """
            {"model":"sonnet","stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String MESSAGES = """
            {"model":"sonnet","max_tokens":64,"messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String MESSAGES_STREAMED = """
            {"model":"sonnet","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";
    private static final Duration SHORT = Duration.ofMillis(50);
    private static final String OPENAI_PING = ": ping\n\n";
    private static final String ANTHROPIC_PING = "event: ping\ndata: {\"type\":\"ping\"}\n\n";

    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** An engine failure and how each dialect must show it. */
    record Failure(ErrorKind kind, int status, String openAiType, String openAiCode, String anthropicType) {
        ProxyException exception() {
            return new ProxyException(kind, "The engine failed: " + kind + ".");
        }

        @Override
        public String toString() {
            return kind + " -> " + status;
        }
    }

    static Stream<Failure> engineFailures() {
        return Stream.of(
                new Failure(ErrorKind.AUTHENTICATION, 401, "authentication_error", "invalid_api_key",
                        "authentication_error"),
                new Failure(ErrorKind.RATE_LIMITED, 429, "rate_limit_error", "rate_limit_exceeded", "rate_limit_error"),
                new Failure(ErrorKind.OVERLOADED, 529, "server_error", "overloaded", "overloaded_error"),
                new Failure(ErrorKind.UPSTREAM_FAILED, 502, "server_error", "upstream_error", "api_error"),
                new Failure(ErrorKind.TIMEOUT, 504, "server_error", "timeout", "timeout_error"));
    }

    private TestServer serve(ScriptedEngine engine) {
        server = TestServer.with(engine).heartbeat(SHORT).start();
        return server;
    }

    private TestServer serveWithShortFirstEventWait(ScriptedEngine engine) {
        server = TestServer.with(engine).heartbeat(SHORT).firstEventWait(SHORT).start();
        return server;
    }

    private static ScriptedEngine failingFirst(ProxyException failure) {
        return ScriptedEngine.scripted(ScriptedEngine.reply("Hello").failingAt(0, failure));
    }

    private static String openAiError(Failure failure) {
        return """
                {"error":{"message":"The engine failed: %s.","type":"%s","param":null,"code":"%s"}}"""
                .formatted(failure.kind(), failure.openAiType(), failure.openAiCode());
    }

    private static String anthropicError(Failure failure) {
        return """
                {"type":"error","error":{"type":"%s","message":"The engine failed: %s."}}"""
                .formatted(failure.anthropicType(), failure.kind());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engineFailures")
    void mapsAnEngineFailureToItsStatusForOpenAi(Failure failure) {
        HttpResponse<String> response = serve(failingFirst(failure.exception())).post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(failure.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree(openAiError(failure)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engineFailures")
    void mapsAnEngineFailureBeforeTheFirstEventToItsStatusForAStreamedOpenAiRequest(Failure failure) {
        HttpResponse<String> response =
                serve(failingFirst(failure.exception())).post("/v1/chat/completions", CHAT_STREAMED);

        assertThat(response.statusCode()).isEqualTo(failure.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree(openAiError(failure)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engineFailures")
    void mapsAnEngineFailureToItsStatusForAnthropic(Failure failure) {
        HttpResponse<String> response = serve(failingFirst(failure.exception())).post("/v1/messages", MESSAGES);

        assertThat(response.statusCode()).isEqualTo(failure.status());
        assertThat(tree(response.body())).isEqualTo(tree(anthropicError(failure)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engineFailures")
    void mapsAnEngineFailureBeforeTheFirstEventToItsStatusForAStreamedAnthropicRequest(Failure failure) {
        HttpResponse<String> response =
                serve(failingFirst(failure.exception())).post("/v1/messages", MESSAGES_STREAMED);

        assertThat(response.statusCode()).isEqualTo(failure.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree(anthropicError(failure)));
    }

    @Test
    void sendsRetryAfterInWholeSecondsWithARateLimit() {
        ProxyException limited = new ProxyException(ErrorKind.RATE_LIMITED, "Usage limit reached.", null,
                Duration.ofSeconds(30), null);

        HttpResponse<String> response = serve(failingFirst(limited)).post("/v1/messages", MESSAGES_STREAMED);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    void roundsRetryAfterUpToTheNextSecond() {
        ProxyException limited = new ProxyException(ErrorKind.RATE_LIMITED, "Usage limit reached.", null,
                Duration.ofMillis(1500), null);

        HttpResponse<String> response = serve(failingFirst(limited)).post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void mapsAFailureToStartTheAnswerToItsStatus() {
        ScriptedEngine engine = ScriptedEngine.failingOnStart(
                new ProxyException(ErrorKind.AUTHENTICATION, "Not logged in. Run claude /login."));

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", CHAT_STREAMED);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"Not logged in. Run claude /login.","type":"authentication_error",
                          "param":null,"code":"invalid_api_key"}}"""));
        assertThat(engine.turns()).hasSize(1);
    }

    @Test
    void answersAnEngineCrashBeforeTheFirstEventWith500() {
        ScriptedEngine engine = ScriptedEngine.scripted(
                ScriptedEngine.reply("Hello").failingAt(0, new IllegalStateException("bug in the engine")));

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", CHAT_STREAMED);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"error":{"message":"Internal server error.","type":"server_error","param":null,
                          "code":"internal_error"}}"""));
    }

    @Test
    void waitsForTheFirstEventSoASlowFailureStillGetsItsStatus() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.hold(),
                ScriptedEngine.fail(new ProxyException(ErrorKind.TIMEOUT, "The Claude CLI printed nothing.")));
        serve(engine);
        CompletableFuture<HttpResponse<String>> pending = server.client().sendAsync(
                server.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(CHAT_STREAMED))
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(engine.awaitSilentPolls(3, TestServer.TIMEOUT)).as("silent for 3 heartbeats").isTrue();
        engine.release();
        HttpResponse<String> response = pending.get(TestServer.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body()).at("/error/code").asText()).isEqualTo("timeout");
    }

    @Test
    void reportsAFailureAfterTheStreamStartedInBandForOpenAi() {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").failingAt(3,
                new ProxyException(ErrorKind.UPSTREAM_FAILED, "The Claude CLI ended without an answer (exit 1).")));

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", CHAT_STREAMED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.body()).isEqualTo("""
                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":""},\
                "logprobs":null,"finish_reason":null}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"Hello"},\
                "logprobs":null,"finish_reason":null}]}

                data: {"error":{"message":"The Claude CLI ended without an answer (exit 1).","type":"server_error",\
                "param":null,"code":"upstream_error"}}

                data: [DONE]

                """.replace("ID", chatId(response.body())));
        assertThat(engine.closedStreams()).isEqualTo(1);
    }

    @Test
    void reportsAFailureAfterTheStreamStartedInBandForAnthropic() {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").failingAt(3,
                new ProxyException(ErrorKind.OVERLOADED, "Overloaded.")));

        HttpResponse<String> response = serve(engine).post("/v1/messages", MESSAGES_STREAMED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01ScriptedAnswer","type":"message",\
                "role":"assistant","model":"claude-sonnet-5-5","content":[],"stop_reason":null,\
                "stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1,\
                "cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: ping
                data: {"type":"ping"}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded."}}

                """);
        assertThat(engine.closedStreams()).isEqualTo(1);
    }

    /** Once headers are out, even an unexpected exception must end the stream with an in-band error. */
    @Test
    void reportsAnEngineCrashAfterTheStreamStartedInBand() {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world")
                .failingAt(3, new IllegalStateException("bug in the engine")));

        HttpResponse<String> response = serve(engine).post("/v1/messages", MESSAGES_STREAMED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("""
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: error
                data: {"type":"error","error":{"type":"api_error","message":"Internal server error."}}

                """);
    }

    @Test
    void reportsAFailureAfterASilentStartInBandOnceTheHeadersAreOut() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.hold(),
                ScriptedEngine.fail(new ProxyException(ErrorKind.TIMEOUT, "The Claude CLI printed nothing.")));
        serveWithShortFirstEventWait(engine);

        try (RawHttp raw = server.openPost("/v1/chat/completions", CHAT_STREAMED)) {
            RawHttp.Head head = raw.readHead();
            String before = raw.readChunksUntil(OPENAI_PING);
            engine.release();
            String rest = readToEnd(raw);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(withoutLeading(OPENAI_PING, before + rest)).isEqualTo("""
                    data: {"error":{"message":"The Claude CLI printed nothing.","type":"server_error",\
                    "param":null,"code":"timeout"}}

                    data: [DONE]

                    """);
        }
    }

    @Test
    void sendsPingCommentsWhileAnOpenAiStreamIsSilent() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(0));
        serveWithShortFirstEventWait(engine);

        try (RawHttp raw = server.openPost("/v1/chat/completions", CHAT_STREAMED)) {
            RawHttp.Head head = raw.readHead();
            String before = raw.readChunksUntil(OPENAI_PING + OPENAI_PING);
            engine.release();
            String body = before + readToEnd(raw);

            assertThat(head.status()).isEqualTo(200);
            assertThat(before).matches("(: ping\n\n){2,}");
            assertThat(withoutLeading(OPENAI_PING, body)).isEqualTo("""
                    data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,\
                    "model":"claude-sonnet-5-5","system_fingerprint":null,"choices":[{"index":0,\
                    "delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

                    data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,\
                    "model":"claude-sonnet-5-5","system_fingerprint":null,"choices":[{"index":0,\
                    "delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}

                    data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,\
                    "model":"claude-sonnet-5-5","system_fingerprint":null,"choices":[{"index":0,\
                    "delta":{},"logprobs":null,"finish_reason":"stop"}]}

                    data: [DONE]

                    """.replace("ID", chatId(body)));
        }
    }

    @Test
    void sendsCommentHeartbeatsBeforeMessageStartAndPingEventsAfterIt() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(1));
        serveWithShortFirstEventWait(engine);

        try (RawHttp raw = server.openPost("/v1/messages", MESSAGES_STREAMED)) {
            RawHttp.Head head = raw.readHead();
            String before = raw.readChunksUntil(ANTHROPIC_PING + ANTHROPIC_PING);
            engine.release();
            String body = before + readToEnd(raw);

            assertThat(head.status()).isEqualTo(200);
            // The real API always sends message_start first, so earlier heartbeats are SSE comments.
            assertThat(withoutLeading(": ping\n\n", body)).startsWith("""
                    event: message_start
                    data: {"type":"message_start\"""").endsWith("""
                    event: message_stop
                    data: {"type":"message_stop"}

                    """);
            assertThat(body.indexOf(ANTHROPIC_PING)).isGreaterThan(body.indexOf("event: message_start"));
        }
    }


    @Test
    void sendsPingsWhileTheModelPausesMidAnswer() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").holdingAt(3));
        serve(engine);

        try (RawHttp raw = server.openPost("/v1/chat/completions", CHAT_STREAMED)) {
            raw.readHead();
            String before = raw.readChunksUntil(OPENAI_PING + OPENAI_PING);
            engine.release();
            String body = before + readToEnd(raw);

            assertThat(body).containsSubsequence("\"content\":\"Hello\"", OPENAI_PING + OPENAI_PING,
                    "\"content\":\" world\"", "data: [DONE]\n\n");
        }
    }

    @Test
    void closesTheEngineStreamWhenAnOpenAiClientHangsUpMidAnswer() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello", " world").holdingAt(3));
        serve(engine);

        try (RawHttp raw = server.openPost("/v1/chat/completions", CHAT_STREAMED)) {
            assertThat(raw.readHead().status()).isEqualTo(200);
            raw.readChunksUntil("\"content\":\"Hello\"");
        }

        assertThat(engine.awaitCancelled(Duration.ofSeconds(5))).as("engine stream closed before its end").isTrue();
        assertThat(engine.cancelledStreams()).isEqualTo(1);
    }

    @Test
    void closesTheEngineStreamWhenAnAnthropicClientHangsUpDuringSilence() throws Exception {
        ScriptedEngine engine = ScriptedEngine.scripted(ScriptedEngine.reply("Hello").holdingAt(0));
        serveWithShortFirstEventWait(engine);

        try (RawHttp raw = server.openPost("/v1/messages", MESSAGES_STREAMED)) {
            assertThat(raw.readHead().status()).isEqualTo(200);
            raw.readChunksUntil(": ping\n\n");
        }

        assertThat(engine.awaitCancelled(Duration.ofSeconds(5))).as("engine stream closed before its end").isTrue();
        assertThat(engine.cancelledStreams()).isEqualTo(1);
    }

    @Test
    void closesTheEngineStreamAfterACompleteAnswer() throws Exception {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");

        HttpResponse<String> response = serve(engine).post("/v1/messages", MESSAGES);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(engine.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(engine.closedStreams()).isEqualTo(1);
        assertThat(engine.cancelledStreams()).isZero();
    }

    @Test
    void aStreamedAnswersEngineStreamIsClosedBeforeTheClientReadsItsLastEvent() throws Exception {
        for (String[] dialect : new String[][] {{"/v1/chat/completions", CHAT_STREAMED, "data: [DONE]"},
                {"/v1/messages", MESSAGES_STREAMED, "event: message_stop"}}) {
            ScriptedEngine engine = ScriptedEngine.replying("Hello").closingIn(Duration.ofMillis(300));
            serve(engine);
            HttpResponse<java.io.InputStream> response = server.client().send(server.request(dialect[0])
                    .POST(HttpRequest.BodyPublishers.ofString(dialect[1])).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int closedWhenLastEventArrived = -1;
            try (java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals(dialect[2])) {
                        closedWhenLastEventArrived = engine.closedStreams();
                        break;
                    }
                }
            }
            assertThat(closedWhenLastEventArrived).as("%s: a client that asks again at once finds the engine free",
                    dialect[0]).isEqualTo(1);
            assertThat(engine.cancelledStreams()).isZero();
            server.close();
            server = null;
        }
    }

    private static String readToEnd(RawHttp raw) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String chunk = raw.readChunk(); chunk != null; chunk = raw.readChunk()) {
            text.append(chunk);
        }
        return text.toString();
    }

    private static String withoutLeading(String frame, String text) {
        String rest = text;
        while (rest.startsWith(frame)) {
            rest = rest.substring(frame.length());
        }
        return rest;
    }
}
