package dev.claudemaxapi.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Outcomes counted per scenario, with the first unexpected ones kept as the client saw them. */
final class Tally {
    private static final int KEPT = 20;

    record Counts(long expected, long unexpected) {
        long requests() {
            return expected + unexpected;
        }
    }

    private final Map<Scenario, long[]> counts = new EnumMap<>(Scenario.class);
    private final List<String> unexpected = new ArrayList<>();

    synchronized void add(Outcome outcome) {
        long[] count = counts.computeIfAbsent(outcome.scenario(), ignored -> new long[2]);
        count[outcome.expected() ? 0 : 1]++;
        if (!outcome.expected() && unexpected.size() < KEPT) {
            // UTC, as the server's log lines, so the two can be matched
            unexpected.add(Instant.now() + " " + outcome.scenario().name() + ": " + outcome.detail());
        }
    }

    synchronized Counts of(Scenario scenario) {
        long[] count = counts.getOrDefault(scenario, new long[2]);
        return new Counts(count[0], count[1]);
    }

    synchronized Counts total() {
        long expected = 0;
        long failed = 0;
        for (long[] count : counts.values()) {
            expected += count[0];
            failed += count[1];
        }
        return new Counts(expected, failed);
    }

    /** The first {@value #KEPT} unexpected outcomes, with when and what. */
    synchronized List<String> firstUnexpected() {
        return List.copyOf(unexpected);
    }
}
