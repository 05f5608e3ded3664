package dev.claudemaxapi.api.anthropic;

import dev.claudemaxapi.core.Turn;

/** A decoded {@code POST /v1/messages} (or {@code count_tokens}) request. */
public record MessagesRequest(Turn turn, String requestedModel, boolean stream) {}
