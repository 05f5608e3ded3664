package dev.claudemaxapi.engine.pool;

import java.time.Duration;

/**
 * Bounds of the process pool.
 *
 * @param size           the most idle CLI processes kept at once, warm spares and live conversations together (each
 *                       holds roughly 150-250 MB); 0 turns reuse off: a fresh process per request, ended after it
 * @param warmSpares     how many started, unused processes to keep ready for new conversations
 * @param liveTtl        how long a finished conversation's process waits for its next turn
 * @param maxAge         a process older than this is not reused
 * @param maxTurns       a process that served this many turns is not reused
 * @param maxGrowthBytes a process whose resident memory grew by more than this since its first turn is not reused
 * @param recycling      what becomes of a process whose conversation ended (evicted, expired, its client gone
 *                       mid-answer)
 * @param toolWait       how long a process whose answer called the client's tools waits for their results
 */
public record PoolSettings(int size, int warmSpares, Duration liveTtl, Duration maxAge, int maxTurns,
        long maxGrowthBytes, Recycling recycling, Duration toolWait) {

    /** 15 minutes: agents run tools (builds, test suites, a person's approval) for minutes. */
    public static final Duration DEFAULT_TOOL_WAIT = Duration.ofMinutes(15);

    /** 300 MB: the CLI grows by about 90 MB over its first 100 conversations, then stays flat. */
    public static final long DEFAULT_MAX_GROWTH_BYTES = 300L << 20;

    public enum Recycling {
        /** Rewound to its first message (~2 ms) and kept as a spare for any new conversation. */
        REWIND,
        /** Stopped. */
        OFF
    }

    public PoolSettings {
        if (size < 0 || warmSpares < 0 || maxTurns < 1 || maxGrowthBytes < 1) {
            throw new IllegalArgumentException(
                    "pool size and warm spares must be >= 0, max turns and max growth >= 1");
        }
    }

    /** The usual bounds for a pool of {@code size} with {@code warmSpares}, for tests and benchmarks. */
    public static PoolSettings of(int size, int warmSpares, Recycling recycling) {
        return new PoolSettings(size, warmSpares, Duration.ofMinutes(10), Duration.ofHours(1), 100,
                DEFAULT_MAX_GROWTH_BYTES, recycling, DEFAULT_TOOL_WAIT);
    }

    public static PoolSettings off() {
        return new PoolSettings(0, 0, Duration.ZERO, Duration.ZERO, 1, DEFAULT_MAX_GROWTH_BYTES, Recycling.OFF,
                DEFAULT_TOOL_WAIT);
    }

    boolean enabled() {
        return size > 0;
    }

    boolean recycles() {
        return enabled() && recycling == Recycling.REWIND;
    }
}
