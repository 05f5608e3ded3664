package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.chatId;
import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.Usage;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsRouteTest {
    private static final String ASK = """
            {"model":"sonnet","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Say hello"}]}""";
    private static final String ASK_STREAMED = """
            {"model":"sonnet","stream":true,"messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String ASK_STREAMED_WITH_USAGE = """
            {"model":"sonnet","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"Say hello"}]}""";

    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer serve(ScriptedEngine engine) {
        server = TestServer.with(engine).start();
        return server;
    }

    @Test
    void answersWithAChatCompletion() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello", " world");

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", ASK);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        String id = chatId(response.body());
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"id":"%s","object":"chat.completion","created":1700000000,"model":"claude-sonnet-5-5",
                 "choices":[{"index":0,
                             "message":{"role":"assistant","content":"Hello world","refusal":null},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":25,"completion_tokens":7,"total_tokens":32,
                          "prompt_tokens_details":{"cached_tokens":0}},
                 "system_fingerprint":null}""".formatted(id)));
    }

    @Test
    void passesTheResolvedModelSystemPromptAndMessagesToTheEngine() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");

        serve(engine).post("/v1/chat/completions", """
                {"model":"claude-sonnet-4-20250514","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":"Say hello"},
                  {"role":"assistant","content":"Hi."},
                  {"role":"user","content":"Again"}]}""");

        assertThat(engine.turns()).containsExactly(new Turn("sonnet", Optional.of("Be brief."),
                List.of(Message.user("Say hello"), Message.assistant("Hi."), Message.user("Again"))));
    }

    @Test
    void reportsPromptTokensIncludingCachedOnesFromTheEngine() {
        ScriptedEngine engine = ScriptedEngine.scripted(
                ScriptedEngine.reply("Hello").withFinalUsage(new Usage(10, 5, 3, 2)).steps());

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", ASK);

        assertThat(tree(response.body()).get("usage")).isEqualTo(tree("""
                {"prompt_tokens":15,"completion_tokens":5,"total_tokens":20,
                 "prompt_tokens_details":{"cached_tokens":2}}"""));
    }

    @Test
    void mapsMaxTokensToFinishReasonLength() {
        ScriptedEngine engine = ScriptedEngine.scripted(
                ScriptedEngine.reply("Hel").withStopReason(StopReason.MAX_TOKENS).steps());

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", ASK);

        assertThat(tree(response.body()).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(tree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("Hel");
    }

    @Test
    void streamsOneChunkPerDeltaThenDone() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello", " world");

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", ASK_STREAMED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        String id = chatId(response.body());
        assertThat(response.body()).isEqualTo("""
                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":""},\
                "logprobs":null,"finish_reason":null}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"Hello"},\
                "logprobs":null,"finish_reason":null}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"content":" world"},\
                "logprobs":null,"finish_reason":null}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{},\
                "logprobs":null,"finish_reason":"stop"}]}

                data: [DONE]

                """.replace("ID", id));
        assertThat(engine.closedStreams()).isEqualTo(1);
        assertThat(engine.cancelledStreams()).isZero();
    }

    @Test
    void streamsAUsageChunkWithNoChoicesBeforeDoneWhenAskedTo() {
        ScriptedEngine engine = ScriptedEngine.replying("Hi");

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", ASK_STREAMED_WITH_USAGE);

        String id = chatId(response.body());
        assertThat(response.body()).isEqualTo("""
                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":""},\
                "logprobs":null,"finish_reason":null}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"Hi"},\
                "logprobs":null,"finish_reason":null}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[{"index":0,"delta":{},\
                "logprobs":null,"finish_reason":"stop"}]}

                data: {"id":"ID","object":"chat.completion.chunk","created":1700000000,"model":"claude-sonnet-5-5",\
                "system_fingerprint":null,"choices":[],"usage":{"prompt_tokens":25,"completion_tokens":7,\
                "total_tokens":32,"prompt_tokens_details":{"cached_tokens":0}}}

                data: [DONE]

                """.replace("ID", id));
    }

    @Test
    void streamsFinishReasonLengthWhenTheAnswerWasCut() {
        ScriptedEngine engine = ScriptedEngine.scripted(
                ScriptedEngine.reply("Hel").withStopReason(StopReason.MAX_TOKENS).steps());

        HttpResponse<String> response = serve(engine).post("/v1/chat/completions", ASK_STREAMED);

        assertThat(response.body()).contains("""
                "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}]}

                data: [DONE]

                """);
    }
}
