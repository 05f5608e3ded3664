package dev.claudemaxapi.core;

/** Who said a message. System prompts are not messages: they travel in {@link Turn#system()}. */
public enum Role {
    USER,
    ASSISTANT
}
