package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.Turn;

/**
 * A decoded {@code POST /v1/responses} request.
 *
 * @param echo the request's settings as the response object repeats them ({@code instructions}, {@code tools},
 *             {@code tool_choice}, {@code text}...), written back as the client sent them
 */
public record ResponsesRequest(Turn turn, String requestedModel, boolean stream, ResponseSettings echo) {

    /** What a response object repeats of its request. */
    public record ResponseSettings(JsonNode instructions, JsonNode maxOutputTokens, JsonNode tools,
            JsonNode toolChoice, boolean parallelToolCalls, JsonNode text, JsonNode reasoning, boolean store,
            JsonNode metadata, JsonNode temperature, JsonNode topP, JsonNode user) {}
}
