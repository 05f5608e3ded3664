package dev.claudemaxapi.core;

import java.util.List;

/** A whole answer, gathered from its events for non-streaming responses. */
public record Completion(String id, String model, List<ContentBlock> content, StopReason stopReason, Usage usage) {
    public Completion {
        content = List.copyOf(content);
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
