package dev.claudemaxapi.testing;

import java.time.Duration;
import java.util.List;

/** How the {@link FakeUpstream} answers one {@code POST /v1/messages}. */
public sealed interface UpstreamReply {

    /** A normal answer: {@code text} streamed in {@code chunks} deltas, with these token counts. */
    record Text(String text, int chunks, long inputTokens, long outputTokens, Duration delayPerChunk)
            implements UpstreamReply {}

    /** A text answer cut by the output cap: {@code stop_reason: "max_tokens"}, as many output tokens as requested. */
    record MaxTokens(String text) implements UpstreamReply {}

    /** Answers with the text of the last user message's text blocks, joined by " | ". */
    record Echo() implements UpstreamReply {}

    /** A thinking block, then a text block. */
    record ThinkingThenText(String thinking, String text) implements UpstreamReply {}

    /** An HTTP error in Anthropic's shape. */
    record Error(int status, String type, String message, Integer retryAfterSeconds) implements UpstreamReply {}

    /** Starts streaming, sends one delta of {@code text}, then drops the connection. */
    record Truncated(String text) implements UpstreamReply {}

    /** Starts streaming, sends one delta, then an {@code event: error} (the CLI then retries without streaming). */
    record StreamError(String text) implements UpstreamReply {}

    /** Sends {@code message_start} and then nothing until the connection is closed. */
    record Hang() implements UpstreamReply {}

    /** Asks for a tool call (which a CLI without tools answers with an error result). */
    record ToolUse(String name, String inputJson) implements UpstreamReply {}

    /** Asks for several tool calls in one answer, in this order. */
    record ToolUses(List<ToolUse> calls) implements UpstreamReply {}

    static Text text(String text) {
        return new Text(text, 3, 21, 7, Duration.ZERO);
    }

    static List<String> split(String text, int chunks) {
        int size = Math.max(1, (int) Math.ceil(text.length() / (double) Math.max(1, chunks)));
        java.util.ArrayList<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            parts.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return parts.isEmpty() ? List.of("") : parts;
    }
}
