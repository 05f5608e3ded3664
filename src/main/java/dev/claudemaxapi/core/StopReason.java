package dev.claudemaxapi.core;

import java.util.Locale;

/**
 * Why the model stopped, as the Anthropic API names it: one of the reasons this proxy knows, or one it does not
 * (a newer upstream's), kept as sent rather than passed off as a normal end of turn.
 */
public sealed interface StopReason {
    Known END_TURN = Known.END_TURN;
    Known MAX_TOKENS = Known.MAX_TOKENS;
    Known STOP_SEQUENCE = Known.STOP_SEQUENCE;
    Known TOOL_USE = Known.TOOL_USE;
    Known PAUSE_TURN = Known.PAUSE_TURN;
    Known REFUSAL = Known.REFUSAL;
    Known MODEL_CONTEXT_WINDOW_EXCEEDED = Known.MODEL_CONTEXT_WINDOW_EXCEEDED;

    /** The wire name, e.g. {@code end_turn}. */
    String wireName();

    enum Known implements StopReason {
        END_TURN,
        MAX_TOKENS,
        STOP_SEQUENCE,
        TOOL_USE,
        PAUSE_TURN,
        REFUSAL,
        /** The conversation filled the model's context window. */
        MODEL_CONTEXT_WINDOW_EXCEEDED;

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The answer reached one of the client's stop sequences, {@code sequence}, and ends before it. */
    record AtSequence(String sequence) implements StopReason {
        @Override
        public String wireName() {
            return Known.STOP_SEQUENCE.wireName();
        }
    }

    /** A reason this proxy has no name for: the Anthropic API passes it on as it came. */
    record Unknown(String wireName) implements StopReason {}

    /** Reads a wire name; a missing one is a normal end of turn (the CLI leaves it out of some results). */
    static StopReason fromWire(String wire) {
        if (wire == null || wire.isEmpty()) {
            return END_TURN;
        }
        for (Known reason : Known.values()) {
            if (reason.wireName().equals(wire)) {
                return reason;
            }
        }
        return new Unknown(wire);
    }
}
