package dev.claudemaxapi.core;

/** Whether and which tool the model must call, in terms both APIs map onto. */
public sealed interface ToolChoice {
    /** The model decides. */
    record Auto() implements ToolChoice {}

    /** No tool may be called: none is offered. */
    record None() implements ToolChoice {}

    /** Some tool must be called (OpenAI {@code required}, Anthropic {@code any}). */
    record Any() implements ToolChoice {}

    /** This tool must be called. */
    record Named(String name) implements ToolChoice {}

    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
}
