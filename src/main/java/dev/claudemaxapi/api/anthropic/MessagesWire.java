package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Usage;
import java.util.List;

/** The Messages API response shapes, named as Anthropic names them. */
final class MessagesWire {
    private MessagesWire() {}

    record MessageResponse(String id, String type, String role, String model, List<Block> content,
            @JsonProperty("stop_reason") String stopReason, @JsonProperty("stop_sequence") String stopSequence,
            WireUsage usage) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Block(String type, String text, String thinking, String signature, String id, String name,
            JsonNode input) {
        static Block text(String text) {
            return new Block("text", text, null, null, null, null, null);
        }

        static Block thinking(String thinking, String signature) {
            return new Block("thinking", null, thinking, signature, null, null, null);
        }

        static Block toolUse(String id, String name, JsonNode input) {
            return new Block("tool_use", null, null, null, id, name, input);
        }
    }

    record WireUsage(
            @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("cache_creation_input_tokens") long cacheCreationInputTokens,
            @JsonProperty("cache_read_input_tokens") long cacheReadInputTokens) {

        static WireUsage of(Usage usage) {
            return new WireUsage(usage.inputTokens(), usage.outputTokens(), usage.cacheCreationInputTokens(),
                    usage.cacheReadInputTokens());
        }
    }

    record MessageStartEvent(String type, MessageResponse message) {}

    record BlockStartEvent(String type, int index, @JsonProperty("content_block") Block contentBlock) {}

    record BlockDeltaEvent(String type, int index, Delta delta) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String type, String text, String thinking, @JsonProperty("partial_json") String partialJson,
            String signature) {
        static Delta of(BlockType type, String piece) {
            return switch (type) {
                case TEXT -> new Delta("text_delta", piece, null, null, null);
                case THINKING -> new Delta("thinking_delta", null, piece, null, null);
                case TOOL_USE -> new Delta("input_json_delta", null, null, piece, null);
            };
        }

        static Delta signature(String signature) {
            return new Delta("signature_delta", null, null, null, signature);
        }
    }

    record BlockStopEvent(String type, int index) {}

    record MessageDeltaEvent(String type, StopDelta delta, WireUsage usage) {}

    /** The {@code stop_sequence} field: the client's sequence the answer stopped at, else null. */
    static String stopSequence(StopReason reason) {
        return reason instanceof StopReason.AtSequence at ? at.sequence() : null;
    }

    record StopDelta(@JsonProperty("stop_reason") String stopReason, @JsonProperty("stop_sequence") String stopSequence) {}

    record TypeOnly(String type) {}

    record TokenCount(@JsonProperty("input_tokens") long inputTokens) {}
}
