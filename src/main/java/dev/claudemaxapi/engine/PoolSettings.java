package dev.claudemaxapi.engine;

import java.time.Duration;

/**
 * Bounds of the process pool.
 *
 * @param size       the most idle CLI processes kept at once, warm spares and live conversations together (each
 *                   holds roughly 150-200 MB); 0 turns reuse off: a fresh process per request, as before the pool
 * @param warmSpares how many started, unused processes to keep ready for new conversations
 * @param liveTtl    how long a finished conversation's process waits for its next turn
 * @param maxAge     a process older than this is not reused
 * @param maxTurns   a process that served this many turns is not reused
 * @param recycle    whether a process whose conversation ended (evicted, expired, its client gone mid-answer) is
 *                   rewound to its first message and kept as a spare for any new conversation, instead of stopped
 */
public record PoolSettings(int size, int warmSpares, Duration liveTtl, Duration maxAge, int maxTurns,
        boolean recycle) {
    public PoolSettings {
        if (size < 0 || warmSpares < 0 || maxTurns < 1) {
            throw new IllegalArgumentException("pool size and warm spares must be >= 0, max turns >= 1");
        }
    }

    public static PoolSettings off() {
        return new PoolSettings(0, 0, Duration.ZERO, Duration.ZERO, 1, false);
    }

    boolean enabled() {
        return size > 0;
    }
}
