package dev.claudemaxapi.api.openai;

import dev.claudemaxapi.core.Turn;

/** A decoded {@code POST /v1/completions} request. */
public record CompletionsRequest(Turn turn, String requestedModel, boolean stream, boolean includeUsage) {}
