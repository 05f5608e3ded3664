package dev.claudemaxapi.core;

/**
 * How many tokens the model may think with, as Anthropic's {@code thinking} parameter asks. On models with a thinking
 * budget this is the knob; on the adaptive-thinking models (the current aliases) the CLI leaves thinking to the model
 * and {@link Effort} is the knob, so a budget changes nothing there.
 */
public sealed interface ThinkingBudget {
    /** The CLI's own setting: adaptive thinking, or its default budget. */
    record CliDefault() implements ThinkingBudget {}

    /** No thinking. */
    record Off() implements ThinkingBudget {}

    /** Thinking with at most this many tokens. */
    record Tokens(int tokens) implements ThinkingBudget {
        public Tokens {
            if (tokens < 1) {
                throw new IllegalArgumentException("a thinking budget is at least one token");
            }
        }
    }

    ThinkingBudget DEFAULT = new CliDefault();
}
