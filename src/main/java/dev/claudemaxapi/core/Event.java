package dev.claudemaxapi.core;

import java.util.OptionalDouble;

/**
 * What an engine streams for one answer. A well-formed stream is
 * {@code MessageStart ((BlockStart | ToolUseStart) BlockDelta* BlockSignature? BlockStop)* MessageDelta MessageStop},
 * a signature only for thinking; failures are
 * thrown by {@link EventStream#next} instead of being events.
 */
public sealed interface Event {

    /** @param model the model that actually runs, as the upstream names it */
    record MessageStart(String id, String model, Usage usage) implements Event {}

    /** A text or thinking block begins. */
    record BlockStart(int index, BlockType type) implements Event {}

    /**
     * A call of one of the client's tools begins, under the client's own tool name; the call's input JSON follows
     * in {@link BlockDelta}s of type {@link BlockType#TOOL_USE}.
     */
    record ToolUseStart(int index, String id, String name) implements Event {}

    /** A piece of text (of thinking, for a thinking block; of the input JSON, for a tool call). */
    record BlockDelta(int index, BlockType type, String text) implements Event {}

    /** The upstream's signature of a thinking block, which a client sends back with the block to continue. */
    record BlockSignature(int index, String signature) implements Event {}

    record BlockStop(int index) implements Event {}

    /**
     * The final stop reason and the usage of the whole answer.
     *
     * @param costUsd what the CLI reported the answer cost, when it did (at the end of its turn)
     */
    record MessageDelta(StopReason stopReason, Usage usage, OptionalDouble costUsd) implements Event {
        public MessageDelta(StopReason stopReason, Usage usage) {
            this(stopReason, usage, OptionalDouble.empty());
        }

        public MessageDelta withCost(double usd) {
            return new MessageDelta(stopReason, usage, OptionalDouble.of(usd));
        }
    }

    record MessageStop() implements Event {}
}
