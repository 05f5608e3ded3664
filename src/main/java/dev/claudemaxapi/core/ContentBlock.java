package dev.claudemaxapi.core;

import java.util.List;
import java.util.Objects;

/** One piece of a message, in the shape the Anthropic Messages API gives it. */
public sealed interface ContentBlock {

    record Text(String text) implements ContentBlock {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A base64 image, passed to the model byte for byte. */
    record Image(String mediaType, String base64Data) implements ContentBlock {
        public Image {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(base64Data, "base64Data");
        }
    }

    /** A tool call the assistant made earlier in the conversation; {@code inputJson} is a JSON object. */
    record ToolUse(String id, String name, String inputJson) implements ContentBlock {}

    /** The answer a client gave to an earlier tool call. */
    record ToolResult(String toolUseId, List<ContentBlock> content, boolean isError) implements ContentBlock {
        public ToolResult {
            content = List.copyOf(content);
        }
    }

    /** Model reasoning; produced by the engine, and dropped when a client sends it back in history. */
    /** @param signature the upstream's signature of it; empty when none came */
    record Thinking(String thinking, String signature) implements ContentBlock {
        public Thinking(String thinking) {
            this(thinking, "");
        }
    }
}
