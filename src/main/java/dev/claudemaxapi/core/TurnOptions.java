package dev.claudemaxapi.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Limits a client puts on one answer, in terms both APIs map onto.
 *
 * @param stopSequences   texts that end the answer where they first appear, themselves left out
 * @param maxOutputTokens the most tokens one model call may write; empty for the model's own limit
 * @param effort          how much the model thinks; empty for the CLI's default
 * @param outputSchema    a JSON Schema (as JSON text) the answer must be an instance of: it is then that JSON alone
 * @param thinking        the model's thinking budget
 */
public record TurnOptions(List<String> stopSequences, OptionalInt maxOutputTokens, Optional<Effort> effort,
        Optional<String> outputSchema, ThinkingBudget thinking) {
    public static final TurnOptions NONE = new TurnOptions(List.of(), OptionalInt.empty());

    public TurnOptions {
        stopSequences = List.copyOf(stopSequences);
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
        Objects.requireNonNull(effort, "effort");
        Objects.requireNonNull(outputSchema, "outputSchema");
        Objects.requireNonNull(thinking, "thinking");
    }

    public TurnOptions(List<String> stopSequences, OptionalInt maxOutputTokens) {
        this(stopSequences, maxOutputTokens, Optional.empty(), Optional.empty(), ThinkingBudget.DEFAULT);
    }

    public TurnOptions(List<String> stopSequences, OptionalInt maxOutputTokens, Optional<Effort> effort) {
        this(stopSequences, maxOutputTokens, effort, Optional.empty(), ThinkingBudget.DEFAULT);
    }

    public TurnOptions(List<String> stopSequences, OptionalInt maxOutputTokens, Optional<Effort> effort,
            Optional<String> outputSchema) {
        this(stopSequences, maxOutputTokens, effort, outputSchema, ThinkingBudget.DEFAULT);
    }

    public TurnOptions withOutputSchema(Optional<String> schema) {
        return new TurnOptions(stopSequences, maxOutputTokens, effort, schema, thinking);
    }

    public TurnOptions withThinking(ThinkingBudget budget) {
        return new TurnOptions(stopSequences, maxOutputTokens, effort, outputSchema, budget);
    }
}
