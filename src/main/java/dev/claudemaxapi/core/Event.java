package dev.claudemaxapi.core;

/**
 * What an engine streams for one answer. A well-formed stream is
 * {@code MessageStart (BlockStart BlockDelta* BlockStop)* MessageDelta MessageStop}; failures are thrown by
 * {@link EventStream#next} instead of being events.
 */
public sealed interface Event {

    /** @param model the model that actually runs, as the upstream names it */
    record MessageStart(String id, String model, Usage usage) implements Event {}

    record BlockStart(int index, BlockType type) implements Event {}

    /** A piece of text (or of thinking, for a thinking block). */
    record BlockDelta(int index, BlockType type, String text) implements Event {}

    record BlockStop(int index) implements Event {}

    /** The final stop reason and the usage of the whole answer. */
    record MessageDelta(StopReason stopReason, Usage usage) implements Event {}

    record MessageStop() implements Event {}
}
