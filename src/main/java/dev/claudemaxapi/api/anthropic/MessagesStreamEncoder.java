package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StreamEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes an answer as the Messages API's event sequence: {@code message_start}, per block
 * {@code content_block_start} / {@code content_block_delta}* / {@code content_block_stop} (with a {@code ping} after
 * the first block start, as the real API sends), {@code message_delta}, {@code message_stop}. Thinking blocks the
 * request did not ask for are left out, and the blocks after them numbered on without a gap.
 */
public final class MessagesStreamEncoder implements StreamEncoder {
    private final ObjectMapper json;
    private final ThinkingBlocks thinkingBlocks;
    /** The client's index of each block it is sent, by the answer's block index. */
    private final Map<Integer, Integer> shown = new HashMap<>();
    private boolean pinged;
    private boolean started;

    MessagesStreamEncoder(ObjectMapper json, ThinkingBlocks thinkingBlocks) {
        this.json = json;
        this.thinkingBlocks = thinkingBlocks;
    }

    @Override
    public List<SseEvent> encode(Event event) {
        return switch (event) {
            case Event.MessageStart start -> {
                started = true;
                yield List.of(event("message_start", new MessagesWire.MessageStartEvent(
                    "message_start", new MessagesWire.MessageResponse(start.id(), "message", "assistant",
                            start.model(), List.of(), null, null, MessagesWire.WireUsage.of(start.usage())))));
            }
            case Event.BlockStart start when start.type() == BlockType.THINKING
                    && thinkingBlocks == ThinkingBlocks.HIDDEN -> List.of();
            case Event.BlockStart start -> blockStart(start.index(), start.type() == BlockType.TEXT
                    ? MessagesWire.Block.text("") : MessagesWire.Block.thinking("", ""));
            case Event.ToolUseStart start -> blockStart(start.index(),
                    MessagesWire.Block.toolUse(start.id(), start.name(), json.createObjectNode()));
            case Event.BlockDelta delta -> ifShown(delta.index(), index -> event("content_block_delta",
                    new MessagesWire.BlockDeltaEvent("content_block_delta", index,
                            MessagesWire.Delta.of(delta.type(), delta.text()))));
            case Event.BlockSignature signed -> ifShown(signed.index(), index -> event("content_block_delta",
                    new MessagesWire.BlockDeltaEvent("content_block_delta", index,
                            MessagesWire.Delta.signature(signed.signature()))));
            case Event.BlockStop stop -> ifShown(stop.index(), index -> event("content_block_stop",
                    new MessagesWire.BlockStopEvent("content_block_stop", index)));
            case Event.MessageDelta delta -> List.of(event("message_delta", new MessagesWire.MessageDeltaEvent(
                    "message_delta", new MessagesWire.StopDelta(delta.stopReason().wireName(),
                            MessagesWire.stopSequence(delta.stopReason())),
                    MessagesWire.WireUsage.of(delta.usage()))));
            case Event.MessageStop ignored -> List.of(event("message_stop", new MessagesWire.TypeOnly("message_stop")));
        };
    }

    private List<SseEvent> ifShown(int index, IntFunction<SseEvent> write) {
        Integer client = shown.get(index);
        return client == null ? List.of() : List.of(write.apply(client));
    }

    private List<SseEvent> blockStart(int index, MessagesWire.Block block) {
        int client = shown.size();
        shown.put(index, client);
        List<SseEvent> out = new ArrayList<>();
        out.add(event("content_block_start", new MessagesWire.BlockStartEvent("content_block_start", client,
                block)));
        if (!pinged) {
            pinged = true;
            out.add(event("ping", new MessagesWire.TypeOnly("ping")));
        }
        return out;
    }

    @Override
    public List<SseEvent> error(ProxyException failure) {
        return List.of(new SseEvent.Data("error",
                new String(AnthropicErrors.body(json, failure), StandardCharsets.UTF_8)));
    }

    /** A {@code ping} event, except before {@code message_start}, which the real API always sends first. */
    @Override
    public List<SseEvent> heartbeat() {
        if (!started) {
            return List.of(new SseEvent.Comment("ping"));
        }
        return List.of(event("ping", new MessagesWire.TypeOnly("ping")));
    }

    private SseEvent event(String name, Object payload) {
        return new SseEvent.Data(name, Json.writeString(json, payload));
    }
}
