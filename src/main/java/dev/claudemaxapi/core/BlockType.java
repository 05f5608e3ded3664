package dev.claudemaxapi.core;

/** The kinds of answer blocks the engine streams. */
public enum BlockType {
    TEXT,
    THINKING
}
