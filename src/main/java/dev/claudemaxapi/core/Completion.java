package dev.claudemaxapi.core;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A whole answer, gathered from its events for non-streaming responses.
 *
 * @param costUsd what the CLI reported it cost, when it did
 */
public record Completion(String id, String model, List<ContentBlock> content, StopReason stopReason, Usage usage,
        OptionalDouble costUsd) {
    public Completion {
        content = List.copyOf(content);
    }

    public Completion(String id, String model, List<ContentBlock> content, StopReason stopReason, Usage usage) {
        this(id, model, content, stopReason, usage, OptionalDouble.empty());
    }

    /** All text blocks joined: what single-string APIs return. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (ContentBlock block : content) {
            if (block instanceof ContentBlock.Text text) {
                out.append(text.text());
            }
        }
        return out.toString();
    }
}
