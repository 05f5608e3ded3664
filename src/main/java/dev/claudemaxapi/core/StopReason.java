package dev.claudemaxapi.core;

import java.util.Locale;

/** Why the model stopped, as the Anthropic API names it. */
public enum StopReason {
    END_TURN,
    MAX_TOKENS,
    STOP_SEQUENCE,
    TOOL_USE,
    PAUSE_TURN,
    REFUSAL;

    /** The wire name, e.g. {@code end_turn}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a wire name; anything unknown or missing counts as a normal end of turn. */
    public static StopReason fromWire(String wire) {
        if (wire == null) {
            return END_TURN;
        }
        for (StopReason reason : values()) {
            if (reason.wireName().equals(wire)) {
                return reason;
            }
        }
        return END_TURN;
    }
}
