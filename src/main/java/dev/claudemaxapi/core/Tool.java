package dev.claudemaxapi.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A function the client offers the model.
 *
 * @param name        the client's own name, which is what the client gets back in a call
 * @param description what it does, for the model
 * @param inputSchema the JSON Schema of its input, as the client wrote it (passed on byte for byte, so the tool
 *                    list of a conversation is the same on every round)
 */
public record Tool(String name, Optional<String> description, String inputSchema) {
    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
    }
}
