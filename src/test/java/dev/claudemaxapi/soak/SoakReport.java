package dev.claudemaxapi.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The soak's markdown report. */
final class SoakReport {
    /** Pool counters worth a look after a soak; absent ones (pool off, no --recycle) are left out. */
    private static final List<String> ENGINE_COUNTERS = List.of("spawned", "cold_starts", "warm_used", "live_reused",
            "evicted", "expired", "died_idle");

    private final PrintStream out;

    SoakReport(PrintStream out) {
        this.out = out;
    }

    void print(Soak.Result result, ServerLog log, long claudeLeft, Verdict verdict) {
        out.println("# claude-max-api soak");
        out.println();
        out.printf(Locale.ROOT, "Seed %d: %.1f minutes of traffic from %d clients after a %d s warm-up; %d cores,"
                + " Java %s. Server: `java %s -jar claude-max-api.jar %s` (default pool) with the real CLI %s against"
                + " a local fake upstream.%n", result.seed(), result.traffic().toMillis() / 60_000.0,
                result.clients(), result.warmUp().toSeconds(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), String.join(" ", Soak.JVM_ARGS), String.join(" ", Soak.SERVER_ARGS),
                dev.claudemaxapi.testing.RealCli.PINNED_VERSION);
        out.println();
        requests(result.tally());
        samples(result);
        resources(result, log, claudeLeft);
        verdict(verdict);
    }

    private void requests(Tally tally) {
        out.println("## Requests");
        out.println();
        out.println("| scenario | requests | expected | unexpected |");
        out.println("|---|---|---|---|");
        for (Scenario scenario : Scenario.values()) {
            Tally.Counts counts = tally.of(scenario);
            out.printf("| %s | %d | %d | %d |%n", scenario.label, counts.requests(), counts.expected(),
                    counts.unexpected());
        }
        Tally.Counts total = tally.total();
        out.printf("| **all** | %d | %d | %d |%n", total.requests(), total.expected(), total.unexpected());
        out.println();
        List<String> unexpected = tally.firstUnexpected();
        if (!unexpected.isEmpty()) {
            out.println("Unexpected failures" + (unexpected.size() < total.unexpected() ? " (the first "
                    + unexpected.size() + ")" : "") + ":");
            out.println();
            unexpected.forEach(line -> out.println("- " + line));
            out.println();
        }
    }

    private void samples(Soak.Result result) {
        out.println("## Over time");
        out.println();
        out.println("| time, s | phase | server RSS, MiB | CLI RSS, MiB | claude processes | server threads |"
                + " server fds |");
        out.println("|---|---|---|---|---|---|---|");
        for (Sample sample : result.samples()) {
            out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %d | %d | %d |%n", sample.seconds(), sample.phase(),
                    sample.serverRssMiB(), sample.cliRssMiB(), sample.claudeProcesses(), sample.threads(),
                    sample.openFiles());
        }
        out.println();
    }

    private void resources(Soak.Result result, ServerLog log, long claudeLeft) {
        Sample baseline = result.baseline();
        List<Sample> after = result.afterBaseline();
        Sample end = after.getLast();
        out.println("## After warm-up (baseline at " + baseline.seconds() + " s, end at " + end.seconds() + " s)");
        out.println();
        out.printf(Locale.ROOT, "- Server RSS growth: %+.1f%% (end against baseline), %+.1f%% (median of the last"
                + " three samples)%n", Verdict.growth(baseline, end),
                Verdict.medianGrowthOfLastThree(baseline, after));
        out.printf("- claude processes: %d at the baseline, %d at the end (the idle pool holds %d); %d left after"
                + " the server stopped%n", baseline.claudeProcesses(), end.claudeProcesses(), result.poolAllows(),
                claudeLeft);
        out.printf(Locale.ROOT, "- Server live heap (in use after a full GC): %.1f MiB at the baseline, %.1f MiB at"
                + " the end%n", result.baselineLiveHeapMiB(), result.endLiveHeapMiB());
        out.printf("- Server threads: %d at the baseline, %d at the end%n", baseline.threads(), end.threads());
        out.printf("- Server file descriptors: %d at the baseline, %d at the end%n", baseline.openFiles(),
                end.openFiles());
        StringBuilder counters = new StringBuilder();
        JsonNode engine = result.engine();
        for (String name : ENGINE_COUNTERS) {
            if (engine.has(name)) {
                counters.append(counters.isEmpty() ? "" : ", ").append(name).append(' ').append(engine.get(name));
            }
        }
        out.println("- Engine counters at the end: " + counters);
        StringBuilder statuses = new StringBuilder();
        for (Map.Entry<Integer, Long> status : log.statuses().entrySet()) {
            statuses.append(statuses.isEmpty() ? "" : ", ").append(status.getKey()).append(": ")
                    .append(status.getValue());
        }
        out.println("- Server log: statuses " + statuses + "; " + log.warnings() + " warnings, " + log.severe()
                + " severe");
        log.firstSevere().forEach(line -> out.println("  - `" + line + "`"));
        out.println();
    }

    private void verdict(Verdict verdict) {
        out.println("## Verdict");
        out.println();
        for (Verdict.Check check : verdict.checks()) {
            out.println("- [" + (check.passed() ? "x" : " ") + "] " + check.what() + ": " + check.detail());
        }
        out.println();
        out.println(verdict.passed() ? "**PASS**" : "**FAIL**: " + String.join("; ", verdict.failures()));
    }
}
