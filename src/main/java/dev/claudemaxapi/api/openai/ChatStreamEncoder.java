package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an answer as {@code chat.completion.chunk} events: the first chunk carries the role, every text delta is
 * one chunk, a tool call is a chunk with its index, id and name and then one per argument fragment (what the
 * official SDKs' accumulators expect), the last choice chunk carries {@code finish_reason}, then (with {@code include_usage}) a usage chunk
 * with no choices, then {@code [DONE]}. Thinking is not part of the chat completions format: it is left out, or sent as
 * {@code reasoning_content} deltas when the request asked for it.
 */
public final class ChatStreamEncoder implements StreamEncoder {
    private static final SseEvent DONE = OpenAiStreams.DONE;

    private final ObjectMapper json;
    private final String id;
    private final long created;
    private final boolean includeUsage;
    private final ReasoningText reasoning;
    private String model = "";
    private Usage usage = Usage.ZERO;
    /** Each tool call's position among the answer's calls (OpenAI's {@code index}), by block index. */
    private final Map<Integer, Integer> toolCalls = new HashMap<>();

    ChatStreamEncoder(ObjectMapper json, String id, long created, boolean includeUsage, ReasoningText reasoning) {
        this.json = json;
        this.id = id;
        this.created = created;
        this.includeUsage = includeUsage;
        this.reasoning = reasoning;
    }

    @Override
    public List<SseEvent> encode(Event event) {
        return switch (event) {
            case Event.MessageStart start -> {
                model = start.model();
                usage = start.usage();
                yield List.of(chunk(new ChatWire.Delta("assistant", "", null, null), null));
            }
            case Event.BlockDelta delta when delta.type() == BlockType.TEXT && !delta.text().isEmpty() ->
                    List.of(chunk(ChatWire.Delta.text(delta.text()), null));
            case Event.BlockDelta delta when delta.type() == BlockType.THINKING && reasoning == ReasoningText.SHOWN
                    && !delta.text().isEmpty() -> List.of(chunk(ChatWire.Delta.reasoning(delta.text()), null));
            case Event.ToolUseStart start -> {
                int call = toolCalls.size();
                toolCalls.put(start.index(), call);
                yield List.of(chunk(toolCallDelta(new ChatWire.ToolCallDelta(call, start.id(), "function",
                        new ChatWire.FunctionCall(start.name(), ""))), null));
            }
            case Event.BlockDelta delta when delta.type() == BlockType.TOOL_USE && !delta.text().isEmpty() ->
                    List.of(chunk(toolCallDelta(new ChatWire.ToolCallDelta(toolCalls.get(delta.index()), null, null,
                            new ChatWire.FunctionCall(null, delta.text()))), null));
            case Event.BlockDelta ignored -> List.of();
            case Event.BlockStart ignored -> List.of();
            case Event.BlockStop ignored -> List.of();
            case Event.BlockSignature ignored -> List.of();
            case Event.MessageDelta delta -> {
                usage = delta.usage();
                yield List.of(chunk(new ChatWire.Delta(null, null, null, null),
                        ChatWire.finishReason(delta.stopReason())));
            }
            case Event.MessageStop ignored -> includeUsage
                    ? List.of(usageChunk(), DONE)
                    : List.of(DONE);
        };
    }

    @Override
    public List<SseEvent> error(ProxyException failure) {
        return OpenAiStreams.error(json, failure);
    }

    @Override
    public List<SseEvent> heartbeat() {
        return OpenAiStreams.heartbeat();
    }

    private static ChatWire.Delta toolCallDelta(ChatWire.ToolCallDelta call) {
        return new ChatWire.Delta(null, null, List.of(call), null);
    }

    private SseEvent chunk(ChatWire.Delta delta, String finishReason) {
        return data(new ChatWire.ChatCompletionChunk(id, "chat.completion.chunk", created, model, null,
                List.of(new ChatWire.ChunkChoice(0, delta, null, finishReason)), null));
    }

    private SseEvent usageChunk() {
        return data(new ChatWire.ChatCompletionChunk(id, "chat.completion.chunk", created, model, null, List.of(),
                ChatWire.CompletionUsage.of(usage)));
    }

    private SseEvent data(Object chunk) {
        return SseEvent.Data.unnamed(Json.writeString(json, chunk));
    }
}
