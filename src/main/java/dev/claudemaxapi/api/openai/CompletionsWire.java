package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The legacy completions response shapes, named as the OpenAI API names them; a chunk has the same shape. */
final class CompletionsWire {
    private CompletionsWire() {}

    record TextCompletion(String id, String object, long created, String model, List<Choice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) ChatWire.CompletionUsage usage) {}

    record Choice(String text, int index, Object logprobs, @JsonProperty("finish_reason") String finishReason) {}
}
