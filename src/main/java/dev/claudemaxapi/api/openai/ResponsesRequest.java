package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.Turn;
import java.util.Optional;

/**
 * A decoded {@code POST /v1/responses} request.
 *
 * @param echo    the request's settings as the response object repeats them ({@code instructions}, {@code tools},
 *                {@code tool_choice}, {@code text}...), written back as the client sent them
 * @param keeping   what storing its response takes
 * @param reasoning whether thinking comes back as {@code reasoning} items: when {@code reasoning.summary} asks
 */
public record ResponsesRequest(Turn turn, String requestedModel, boolean stream, ResponseSettings echo,
        Keeping keeping, ReasoningText reasoning) {

    /** What a response object repeats of its request. */
    public record ResponseSettings(JsonNode instructions, JsonNode maxOutputTokens, JsonNode tools,
            JsonNode toolChoice, boolean parallelToolCalls, JsonNode text, JsonNode reasoning, boolean store,
            JsonNode metadata, JsonNode temperature, JsonNode topP, JsonNode user) {}

    /**
     * @param caller     whose response it is
     * @param previousId the response it continues
     * @param input      the input items this request added, as a JSON array
     */
    public record Keeping(Caller caller, Optional<String> previousId, String input) {}
}
