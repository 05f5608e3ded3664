package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessagesRouteTest {
    private static final String ASK = """
            {"model":"sonnet","max_tokens":256,"system":"Be brief.",
             "messages":[{"role":"user","content":"Say hello"}]}""";
    private static final String ASK_STREAMED = """
            {"model":"sonnet","max_tokens":256,"stream":true,
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
    void answersWithAMessage() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello", " world");

        HttpResponse<String> response = serve(engine).post("/v1/messages", ASK, "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"id":"msg_01ScriptedAnswer","type":"message","role":"assistant","model":"claude-sonnet-5-5",
                 "content":[{"type":"text","text":"Hello world"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":25,"output_tokens":7,
                          "cache_creation_input_tokens":0,"cache_read_input_tokens":0}}"""));
        assertThat(engine.turns()).containsExactly(
                new Turn("sonnet", Optional.of("Be brief."), List.of(Message.user("Say hello")))
                        .withOptions(new TurnOptions(List.of(), OptionalInt.of(256))));
    }

    @Test
    void reportsStopReasonMaxTokens() {
        ScriptedEngine engine = ScriptedEngine.scripted(
                ScriptedEngine.reply("Hel").withStopReason(StopReason.MAX_TOKENS).steps());

        HttpResponse<String> response = serve(engine).post("/v1/messages", ASK);

        assertThat(tree(response.body()).get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void acceptsTheBetaQueryThatTheSdksAdd() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");

        HttpResponse<String> response = serve(engine).post("/v1/messages?beta=true", ASK);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tree(response.body()).at("/content/0/text").asText()).isEqualTo("Hello");
        assertThat(engine.turns()).hasSize(1);
    }

    @Test
    void streamsTheMessagesEventSequence() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello", " world");

        HttpResponse<String> response = serve(engine).post("/v1/messages", ASK_STREAMED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
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

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},\
                "usage":{"input_tokens":25,"output_tokens":7,"cache_creation_input_tokens":0,\
                "cache_read_input_tokens":0}}

                event: message_stop
                data: {"type":"message_stop"}

                """);
        assertThat(engine.closedStreams()).isEqualTo(1);
        assertThat(engine.cancelledStreams()).isZero();
    }

    @Test
    void refusesARequestWithoutMaxTokens() {
        ScriptedEngine engine = ScriptedEngine.replying("Hello");

        HttpResponse<String> response = serve(engine).post("/v1/messages", """
                {"model":"sonnet","messages":[{"role":"user","content":"Say hello"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tree(response.body())).isEqualTo(tree("""
                {"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}"""));
        assertThat(engine.turns()).isEmpty();
    }
}
