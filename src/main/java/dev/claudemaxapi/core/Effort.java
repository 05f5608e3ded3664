package dev.claudemaxapi.core;

import java.util.Locale;

/** How much the model thinks before it answers: the CLI's effort levels, which both APIs' settings map onto. */
public enum Effort {
    LOW,
    MEDIUM,
    HIGH,
    MAX;

    /** The CLI's name, e.g. {@code high}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
