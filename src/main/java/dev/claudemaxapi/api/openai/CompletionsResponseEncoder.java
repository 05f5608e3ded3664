package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.Usage;
import java.time.Clock;
import java.util.List;

/**
 * Writes an answer as a legacy {@code text_completion}, whole or as chunks of the same shape: one per text delta,
 * the last with {@code finish_reason}, then (with {@code include_usage}) one with the usage and no choices, then
 * {@code [DONE]}. Only text: thinking and tool calls have no place in this format.
 */
public final class CompletionsResponseEncoder {
    private static final SseEvent DONE = OpenAiStreams.DONE;

    private final ObjectMapper json;
    private final Clock clock;

    public CompletionsResponseEncoder(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    public byte[] encode(Completion completion) {
        return Json.write(json, new CompletionsWire.TextCompletion(OpenAiIds.textCompletion(), "text_completion",
                clock.instant().getEpochSecond(), completion.model(),
                List.of(new CompletionsWire.Choice(completion.text(), 0, null,
                        ChatWire.finishReason(completion.stopReason()))),
                ChatWire.CompletionUsage.of(completion.usage())));
    }

    public StreamEncoder streamEncoder(boolean includeUsage) {
        return new Chunks(OpenAiIds.textCompletion(), clock.instant().getEpochSecond(), includeUsage);
    }

    private final class Chunks implements StreamEncoder {
        private final String id;
        private final long created;
        private final boolean includeUsage;
        private String model = "";
        private Usage usage = Usage.ZERO;

        Chunks(String id, long created, boolean includeUsage) {
            this.id = id;
            this.created = created;
            this.includeUsage = includeUsage;
        }

        @Override
        public List<SseEvent> encode(Event event) {
            return switch (event) {
                case Event.MessageStart start -> {
                    model = start.model();
                    usage = start.usage();
                    yield List.of();
                }
                case Event.BlockDelta delta when delta.type() == BlockType.TEXT && !delta.text().isEmpty() ->
                        List.of(chunk(List.of(new CompletionsWire.Choice(delta.text(), 0, null, null)), null));
                case Event.BlockDelta ignored -> List.of();
                case Event.BlockStart ignored -> List.of();
                case Event.ToolUseStart ignored -> List.of();
                case Event.BlockStop ignored -> List.of();
                case Event.BlockSignature ignored -> List.of();
                case Event.MessageDelta delta -> {
                    usage = delta.usage();
                    yield List.of(chunk(List.of(new CompletionsWire.Choice("", 0, null,
                            ChatWire.finishReason(delta.stopReason()))), null));
                }
                case Event.MessageStop ignored -> includeUsage
                        ? List.of(chunk(List.of(), ChatWire.CompletionUsage.of(usage)), DONE)
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

        private SseEvent chunk(List<CompletionsWire.Choice> choices, ChatWire.CompletionUsage chunkUsage) {
            return SseEvent.Data.unnamed(Json.writeString(json, new CompletionsWire.TextCompletion(id,
                    "text_completion", created, model, choices, chunkUsage)));
        }
    }
}
