package dev.claudemaxapi.api.openai;

import dev.claudemaxapi.core.Turn;

/** A decoded {@code POST /v1/chat/completions} request. */
public record ChatRequest(Turn turn, String requestedModel, boolean stream, boolean includeUsage,
        ReasoningText reasoning) {}
