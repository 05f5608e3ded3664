package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.Usage;
import java.util.List;

/** The Responses API's shapes, named as the OpenAI API names them. */
final class ResponsesWire {
    private ResponsesWire() {}

    record Response(String id, String object, @JsonProperty("created_at") long createdAt, String status,
            Error error, @JsonProperty("incomplete_details") IncompleteDetails incompleteDetails,
            JsonNode instructions, @JsonProperty("max_output_tokens") JsonNode maxOutputTokens, String model,
            List<Object> output, @JsonProperty("parallel_tool_calls") boolean parallelToolCalls,
            @JsonProperty("previous_response_id") String previousResponseId, JsonNode reasoning, boolean store,
            JsonNode temperature, JsonNode text, @JsonProperty("tool_choice") JsonNode toolChoice, JsonNode tools,
            @JsonProperty("top_p") JsonNode topP, String truncation, ResponseUsage usage, JsonNode user,
            JsonNode metadata) {}

    record Error(String code, String message) {}

    record Deleted(String id, String object, boolean deleted) {}

    record IncompleteDetails(String reason) {}

    record MessageItem(String type, String id, String status, String role, List<OutputText> content) {
        static MessageItem of(String id, String status, List<OutputText> content) {
            return new MessageItem("message", id, status, "assistant", content);
        }
    }

    record OutputText(String type, String text, List<Object> annotations) {
        static OutputText of(String text) {
            return new OutputText("output_text", text, List.of());
        }
    }

    /** The model's thinking, as a reasoning summary: the text Claude shows of its thinking is itself a summary. */
    record ReasoningItem(String type, String id, List<SummaryText> summary) {
        static ReasoningItem of(String id, List<SummaryText> summary) {
            return new ReasoningItem("reasoning", id, summary);
        }
    }

    record SummaryText(String type, String text) {
        static SummaryText of(String text) {
            return new SummaryText("summary_text", text);
        }
    }

    /** One streamed event of a reasoning item's summary. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReasoningEvent(String type, @JsonProperty("sequence_number") long sequenceNumber,
            @JsonProperty("item_id") String itemId, @JsonProperty("output_index") int outputIndex,
            @JsonProperty("summary_index") int summaryIndex, SummaryText part, String delta, String text) {}

    record FunctionCallItem(String type, String id, @JsonProperty("call_id") String callId, String name,
            String arguments, String status) {
        static FunctionCallItem of(String id, String callId, String name, String arguments, String status) {
            return new FunctionCallItem("function_call", id, callId, name, arguments, status);
        }
    }

    record ResponseUsage(@JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("input_tokens_details") InputDetails inputTokensDetails,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("output_tokens_details") OutputDetails outputTokensDetails,
            @JsonProperty("total_tokens") long totalTokens) {
        static ResponseUsage of(Usage usage) {
            long input = usage.totalInputTokens();
            return new ResponseUsage(input, new InputDetails(usage.cacheReadInputTokens()), usage.outputTokens(),
                    new OutputDetails(0), input + usage.outputTokens());
        }
    }

    record InputDetails(@JsonProperty("cached_tokens") long cachedTokens) {}

    record OutputDetails(@JsonProperty("reasoning_tokens") long reasoningTokens) {}

    /** One streamed event; each type fills the fields it has. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StreamEvent(String type, @JsonProperty("sequence_number") long sequenceNumber, Response response,
            @JsonProperty("output_index") Integer outputIndex, Object item, @JsonProperty("item_id") String itemId,
            @JsonProperty("content_index") Integer contentIndex, OutputText part, String delta, String text,
            String arguments, List<Object> logprobs, String code, String message, String param) {}
}
