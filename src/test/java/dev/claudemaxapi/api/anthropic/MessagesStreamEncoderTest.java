package dev.claudemaxapi.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesStreamEncoderTest {
    private final ObjectMapper json = Json.mapper();

    private static SseEvent event(String name, String data) {
        return new SseEvent.Data(name, data);
    }

    private List<SseEvent> encodeAll(List<Event> events) {
        MessagesStreamEncoder encoder = new MessagesResponseEncoder(json).streamEncoder(ThinkingBlocks.SHOWN);
        List<SseEvent> out = new ArrayList<>();
        for (Event event : events) {
            out.addAll(encoder.encode(event));
        }
        return out;
    }

    @Test
    void writesTheExactEventSequence() {
        List<SseEvent> events = encodeAll(List.of(
                new Event.MessageStart("msg_01", "claude-sonnet-5-5", new Usage(25, 1, 0, 10)),
                new Event.BlockStart(0, BlockType.THINKING),
                new Event.BlockDelta(0, BlockType.THINKING, "Hmm."),
                new Event.BlockStop(0),
                new Event.BlockStart(1, BlockType.TEXT),
                new Event.BlockDelta(1, BlockType.TEXT, "Hi"),
                new Event.BlockDelta(1, BlockType.TEXT, " there"),
                new Event.BlockStop(1),
                new Event.MessageDelta(StopReason.END_TURN, new Usage(25, 15, 0, 10)),
                new Event.MessageStop()));

        assertThat(events).containsExactly(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-5-5\",\"content\":[],\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":10}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
                event("ping", "{\"type\":\"ping\"}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":25,\"output_tokens\":15,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":10}}"),
                event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    @Test
    void pingsOnlyOnceAfterTheFirstBlockStart() {
        List<SseEvent> events = encodeAll(List.of(
                new Event.MessageStart("msg_01", "opus", Usage.ZERO),
                new Event.BlockStart(0, BlockType.TEXT),
                new Event.BlockStop(0),
                new Event.BlockStart(1, BlockType.TEXT),
                new Event.BlockStop(1),
                new Event.BlockStart(2, BlockType.THINKING)));

        assertThat(events).extracting(e -> ((SseEvent.Data) e).name()).containsExactly(
                "message_start", "content_block_start", "ping", "content_block_stop",
                "content_block_start", "content_block_stop", "content_block_start");
    }

    @Test
    void writesMaxTokensAsTheStopReason() throws IOException {
        List<SseEvent> events = encodeAll(List.of(new Event.MessageDelta(StopReason.MAX_TOKENS, Usage.ZERO)));

        assertThat(json.readTree(((SseEvent.Data) events.get(0)).data()).at("/delta/stop_reason").asText())
                .isEqualTo("max_tokens");
    }

    @Test
    void errorIsAnErrorEventInAnthropicsShape() {
        MessagesStreamEncoder encoder = new MessagesResponseEncoder(json).streamEncoder(ThinkingBlocks.SHOWN);

        List<SseEvent> events = encoder.error(new ProxyException(ErrorKind.OVERLOADED, "Overloaded"));

        assertThat(events).containsExactly(event("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    }

    @Test
    void heartbeatIsACommentBeforeMessageStartAndAPingEventAfter() {
        MessagesStreamEncoder encoder = new MessagesResponseEncoder(json).streamEncoder(ThinkingBlocks.SHOWN);

        assertThat(encoder.heartbeat()).containsExactly(new SseEvent.Comment("ping"));
        encoder.encode(new Event.MessageStart("msg_1", "claude-x", Usage.ZERO));
        assertThat(encoder.heartbeat()).containsExactly(event("ping", "{\"type\":\"ping\"}"));
    }

    @Test
    void writesAToolCallAsAToolUseBlockAndInputJsonDeltas() {
        List<SseEvent> events = encodeAll(List.of(
                new Event.MessageStart("msg_01", "claude-sonnet-5-5", Usage.ZERO),
                new Event.ToolUseStart(0, "toolu_1", "get.weather"),
                new Event.BlockDelta(0, BlockType.TOOL_USE, "{\"city\": \"Paris\"}"),
                new Event.BlockStop(0),
                new Event.MessageDelta(StopReason.TOOL_USE, new Usage(5, 9, 0, 0)),
                new Event.MessageStop()));

        assertThat(events).contains(
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get.weather\",\"input\":{}}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                        + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":5,\"output_tokens\":9,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}"));
    }

    @Test
    void leavesOutThinkingNotAskedForAndNumbersTheNextBlocksWithoutAGap() {
        MessagesStreamEncoder encoder = new MessagesResponseEncoder(json).streamEncoder(ThinkingBlocks.HIDDEN);
        List<SseEvent> out = new ArrayList<>();
        for (Event event : List.<Event>of(new Event.MessageStart("msg_01", "claude-sonnet-5-5", Usage.ZERO),
                new Event.BlockStart(0, BlockType.THINKING), new Event.BlockDelta(0, BlockType.THINKING, "Hmm."),
                new Event.BlockSignature(0, "sig"), new Event.BlockStop(0), new Event.BlockStart(1, BlockType.TEXT),
                new Event.BlockDelta(1, BlockType.TEXT, "Hi"), new Event.BlockStop(1))) {
            out.addAll(encoder.encode(event));
        }

        assertThat(out).extracting(event -> ((SseEvent.Data) event).data()).containsExactly(
                ((SseEvent.Data) out.get(0)).data(),
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"ping\"}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}");
    }
}
