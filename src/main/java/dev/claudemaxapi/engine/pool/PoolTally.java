package dev.claudemaxapi.engine.pool;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What happened to the pool's processes since start, for {@code /health}. Counts of current states are not here. */
final class PoolTally {
    enum Count {
        SPAWNED, COLD_STARTS, WARM_SPAWNED, WARM_USED, LIVE_REUSED, TOOL_ROUNDS, REWOUND, EVICTED, EXPIRED,
        DIED_IDLE, RECYCLED, RECYCLED_USED, INTERRUPTED, RETIRED;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Count, AtomicLong> counts = new EnumMap<>(Count.class);

    PoolTally() {
        for (Count count : Count.values()) {
            counts.put(count, new AtomicLong());
        }
    }

    void add(Count count) {
        counts.get(count).incrementAndGet();
    }

    long get(Count count) {
        return counts.get(count).get();
    }
}
