package dev.claudemaxapi.core;

/** The kinds of answer blocks the engine streams. */
public enum BlockType {
    TEXT,
    THINKING,
    /** A call of one of the client's tools; its deltas are pieces of the call's input JSON. */
    TOOL_USE
}
