package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Usage;
import java.util.List;

/** The chat completions response shapes, named as the OpenAI API names them. */
final class ChatWire {
    private ChatWire() {}

    record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
            CompletionUsage usage, @JsonProperty("system_fingerprint") String systemFingerprint) {}

    record Choice(int index, AssistantMessage message, Object logprobs,
            @JsonProperty("finish_reason") String finishReason) {}

    record AssistantMessage(String role, String content, String refusal,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("tool_calls") List<ToolCall> toolCalls,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("reasoning_content") String reasoningContent) {}

    /** A call in a whole answer; {@code arguments} is the input JSON as a string, as OpenAI sends it. */
    record ToolCall(String id, String type, FunctionCall function) {
        static ToolCall of(String id, String name, String arguments) {
            return new ToolCall(id, "function", new FunctionCall(name, arguments));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunctionCall(String name, String arguments) {}

    /** A piece of a call in a stream: the first carries id, type and name, the later ones argument fragments. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolCallDelta(int index, String id, String type, FunctionCall function) {}

    record ChatCompletionChunk(String id, String object, long created, String model,
            @JsonProperty("system_fingerprint") String systemFingerprint, List<ChunkChoice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) CompletionUsage usage) {}

    record ChunkChoice(int index, Delta delta, Object logprobs, @JsonProperty("finish_reason") String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content, @JsonProperty("tool_calls") List<ToolCallDelta> toolCalls,
            @JsonProperty("reasoning_content") String reasoningContent) {
        static Delta text(String content) {
            return new Delta(null, content, null, null);
        }

        static Delta reasoning(String thinking) {
            return new Delta(null, null, null, thinking);
        }
    }

    record CompletionUsage(
            @JsonProperty("prompt_tokens") long promptTokens,
            @JsonProperty("completion_tokens") long completionTokens,
            @JsonProperty("total_tokens") long totalTokens,
            @JsonProperty("prompt_tokens_details") PromptDetails promptTokensDetails) {

        static CompletionUsage of(Usage usage) {
            long prompt = usage.totalInputTokens();
            return new CompletionUsage(prompt, usage.outputTokens(), prompt + usage.outputTokens(),
                    new PromptDetails(usage.cacheReadInputTokens()));
        }
    }

    record PromptDetails(@JsonProperty("cached_tokens") long cachedTokens) {}

    /**
     * OpenAI's finish reasons are a closed set that clients switch on, so a reason the proxy does not know (passed
     * on as it came by the Anthropic API) is {@code stop} here, the one that claims nothing more.
     */
    static String finishReason(StopReason reason) {
        return switch (reason) {
            case StopReason.Known known -> switch (known) {
                case END_TURN, STOP_SEQUENCE, PAUSE_TURN -> "stop";
                case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
                case TOOL_USE -> "tool_calls";
                case REFUSAL -> "content_filter";
            };
            case StopReason.AtSequence atSequence -> "stop";
            case StopReason.Unknown unknown -> "stop";
        };
    }
}
