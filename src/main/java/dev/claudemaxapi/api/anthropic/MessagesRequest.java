package dev.claudemaxapi.api.anthropic;

import dev.claudemaxapi.core.Turn;

/**
 * A decoded {@code POST /v1/messages} (or {@code count_tokens}) request.
 *
 * @param thinkingBlocks whether the answer's thinking blocks go to the client: when {@code thinking} asked for them
 */
public record MessagesRequest(Turn turn, String requestedModel, boolean stream, ThinkingBlocks thinkingBlocks) {}
