package dev.claudemaxapi.core;

/** Token counts as the upstream reported them. */
public record Usage(long inputTokens, long outputTokens, long cacheCreationInputTokens, long cacheReadInputTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    /** Every input token the model read, cached or not: what OpenAI calls prompt tokens. */
    public long totalInputTokens() {
        return inputTokens + cacheCreationInputTokens + cacheReadInputTokens;
    }

    /** The usage of two calls together. */
    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheCreationInputTokens + other.cacheCreationInputTokens,
                cacheReadInputTokens + other.cacheReadInputTokens);
    }
}
