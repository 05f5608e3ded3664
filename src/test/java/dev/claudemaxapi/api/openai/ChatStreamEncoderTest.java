package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Usage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStreamEncoderTest {
    private static final String ID = "chatcmpl-abc";
    private static final long CREATED = 1767323045L;

    private final ObjectMapper json = Json.mapper();

    private static final List<Event> ANSWER = List.of(
            new Event.MessageStart("msg_01", "claude-sonnet-5-5", new Usage(10, 1, 0, 0)),
            new Event.BlockStart(0, BlockType.THINKING),
            new Event.BlockDelta(0, BlockType.THINKING, "Let me think."),
            new Event.BlockStop(0),
            new Event.BlockStart(1, BlockType.TEXT),
            new Event.BlockDelta(1, BlockType.TEXT, "Hel"),
            new Event.BlockDelta(1, BlockType.TEXT, ""),
            new Event.BlockDelta(1, BlockType.TEXT, "lo"),
            new Event.BlockStop(1),
            new Event.MessageDelta(StopReason.MAX_TOKENS, new Usage(10, 25, 4, 300)),
            new Event.MessageStop());

    private static List<SseEvent> encodeAll(ChatStreamEncoder encoder, List<Event> events) {
        List<SseEvent> out = new ArrayList<>();
        for (Event event : events) {
            out.addAll(encoder.encode(event));
        }
        return out;
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                + ",\"model\":\"claude-sonnet-5-5\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}";
    }

    @Test
    void writesTheExactChunkSequence() {
        List<SseEvent> events = encodeAll(new ChatStreamEncoder(json, ID, CREATED, false, ReasoningText.HIDDEN), ANSWER);

        assertThat(events).containsExactly(
                SseEvent.Data.unnamed(chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")),
                SseEvent.Data.unnamed(chunk("{\"content\":\"Hel\"}", "null")),
                SseEvent.Data.unnamed(chunk("{\"content\":\"lo\"}", "null")),
                SseEvent.Data.unnamed(chunk("{}", "\"length\"")),
                SseEvent.Data.unnamed("[DONE]"));
    }

    @Test
    void addsAUsageChunkWithNoChoicesBeforeDoneWhenAsked() throws IOException {
        List<SseEvent> events = encodeAll(new ChatStreamEncoder(json, ID, CREATED, true, ReasoningText.HIDDEN), ANSWER);

        assertThat(events).hasSize(6);
        assertThat(events.subList(0, 4))
                .isEqualTo(encodeAll(new ChatStreamEncoder(json, ID, CREATED, false, ReasoningText.HIDDEN), ANSWER).subList(0, 4));
        assertThat(events.get(5)).isEqualTo(SseEvent.Data.unnamed("[DONE]"));
        assertThat(events.get(4)).isInstanceOf(SseEvent.Data.class);
        SseEvent.Data usage = (SseEvent.Data) events.get(4);
        assertThat(usage.name()).isNull();
        assertThat(json.readTree(usage.data())).isEqualTo(json.readTree("""
                {"id": "chatcmpl-abc", "object": "chat.completion.chunk", "created": 1767323045,
                 "model": "claude-sonnet-5-5", "system_fingerprint": null, "choices": [],
                 "usage": {"prompt_tokens": 314, "completion_tokens": 25, "total_tokens": 339,
                           "prompt_tokens_details": {"cached_tokens": 300}}}"""));
    }

    @Test
    void usageFallsBackToMessageStartWithoutAMessageDelta() throws IOException {
        ChatStreamEncoder encoder = new ChatStreamEncoder(json, ID, CREATED, true, ReasoningText.HIDDEN);
        encoder.encode(new Event.MessageStart("msg_01", "sonnet", new Usage(8, 0, 0, 0)));

        List<SseEvent> end = encoder.encode(new Event.MessageStop());

        JsonNode usage = json.readTree(((SseEvent.Data) end.get(0)).data()).get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(8);
        assertThat(usage.get("completion_tokens").asLong()).isZero();
    }

    @Test
    void skipsThinkingDeltasEvenWhenNonEmpty() {
        ChatStreamEncoder encoder = new ChatStreamEncoder(json, ID, CREATED, false, ReasoningText.HIDDEN);

        assertThat(encoder.encode(new Event.BlockDelta(0, BlockType.THINKING, "secret"))).isEmpty();
        assertThat(encoder.encode(new Event.BlockStart(0, BlockType.TEXT))).isEmpty();
        assertThat(encoder.encode(new Event.BlockStop(0))).isEmpty();
        assertThat(encoder.encode(new Event.BlockDelta(0, BlockType.TEXT, ""))).isEmpty();
    }

    @Test
    void sendsThinkingAsReasoningContentDeltasWhenAsked() {
        ChatStreamEncoder encoder = new ChatStreamEncoder(json, ID, CREATED, false, ReasoningText.SHOWN);
        encoder.encode(new Event.MessageStart("msg_01", "claude-sonnet-5-5", Usage.ZERO));

        List<SseEvent> thought = encoder.encode(new Event.BlockDelta(0, BlockType.THINKING, "Let me think."));

        assertThat(thought).containsExactly(SseEvent.Data.unnamed(chunk("{\"reasoning_content\":\"Let me think.\"}",
                "null")));
        assertThat(encoder.encode(new Event.BlockSignature(0, "sig"))).isEmpty();
    }

    @Test
    void errorGivesAnOpenAiErrorObjectThenDone() throws IOException {
        ChatStreamEncoder encoder = new ChatStreamEncoder(json, ID, CREATED, true, ReasoningText.HIDDEN);

        List<SseEvent> events = encoder.error(new ProxyException(ErrorKind.UPSTREAM_FAILED, "The CLI exited (code 1)."));

        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isEqualTo(SseEvent.Data.unnamed("[DONE]"));
        SseEvent.Data error = (SseEvent.Data) events.get(0);
        assertThat(error.name()).isNull();
        assertThat(json.readTree(error.data())).isEqualTo(json.readTree("""
                {"error": {"message": "The CLI exited (code 1).", "type": "server_error", "param": null,
                           "code": "upstream_error"}}"""));
    }

    @Test
    void heartbeatIsAComment() {
        assertThat(new ChatStreamEncoder(json, ID, CREATED, false, ReasoningText.HIDDEN).heartbeat())
                .containsExactly(new SseEvent.Comment("ping"));
    }

    @Test
    void theResponseEncoderMakesStreamEncodersWithAFreshIdAndItsClock() throws IOException {
        ChatResponseEncoder responses = new ChatResponseEncoder(json,
                Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC));

        ChatStreamEncoder encoder = responses.streamEncoder(false, ReasoningText.HIDDEN);

        SseEvent.Data first = (SseEvent.Data) encoder
                .encode(new Event.MessageStart("msg_01", "sonnet", Usage.ZERO)).get(0);
        JsonNode chunk = json.readTree(first.data());
        assertThat(chunk.get("id").asText()).matches("chatcmpl-[0-9a-f]{32}");
        assertThat(chunk.get("created").asLong()).isEqualTo(CREATED);
        assertThat(chunk.get("model").asText()).isEqualTo("sonnet");
    }

    @Test
    void writesToolCallsAsTheSdksAccumulatorsExpectThem() {
        List<SseEvent> events = encodeAll(new ChatStreamEncoder(json, ID, CREATED, false, ReasoningText.HIDDEN), List.of(
                new Event.MessageStart("msg_01", "claude-sonnet-5-5", Usage.ZERO),
                new Event.ToolUseStart(0, "toolu_1", "get.weather"),
                new Event.BlockDelta(0, BlockType.TOOL_USE, "{\"city\":"),
                new Event.BlockDelta(0, BlockType.TOOL_USE, " \"Paris\"}"),
                new Event.BlockStop(0),
                new Event.ToolUseStart(1, "toolu_2", "get_time"),
                new Event.BlockStop(1),
                new Event.MessageDelta(StopReason.TOOL_USE, Usage.ZERO),
                new Event.MessageStop()));

        assertThat(events).containsExactly(
                SseEvent.Data.unnamed(chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")),
                SseEvent.Data.unnamed(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get.weather\",\"arguments\":\"\"}}]}", "null")),
                SseEvent.Data.unnamed(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                        + "\"{\\\"city\\\":\"}}]}", "null")),
                SseEvent.Data.unnamed(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                        + "\" \\\"Paris\\\"}\"}}]}", "null")),
                SseEvent.Data.unnamed(chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"toolu_2\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}]}", "null")),
                SseEvent.Data.unnamed(chunk("{}", "\"tool_calls\"")),
                SseEvent.Data.unnamed("[DONE]"));
    }
}
