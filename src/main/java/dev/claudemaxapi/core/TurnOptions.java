package dev.claudemaxapi.core;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Limits a client puts on one answer, in terms both APIs map onto.
 *
 * @param stopSequences   texts that end the answer where they first appear, themselves left out
 * @param maxOutputTokens the most tokens one model call may write; empty for the model's own limit
 */
public record TurnOptions(List<String> stopSequences, OptionalInt maxOutputTokens) {
    public static final TurnOptions NONE = new TurnOptions(List.of(), OptionalInt.empty());

    public TurnOptions {
        stopSequences = List.copyOf(stopSequences);
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
    }
}
