package dev.claudemaxapi.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PASS or FAIL of a soak, from what it measured. The resource figures compare the idle server at the end with the
 * idle server right after warm-up (the baseline), so a full pool or a grown heap is not mistaken for a leak.
 */
record Verdict(List<Check> checks) {
    static final double MAX_RSS_GROWTH_PERCENT = 10;
    /**
     * Threads and descriptors may differ a little between two idle moments without leaking: JIT compiler threads
     * come and go, and a client's keep-alive connection may still be open.
     */
    static final long THREAD_MARGIN = 5;
    static final long FD_MARGIN = 10;

    record Check(String what, boolean passed, String detail) {}

    /** What the soak measured, for the judgement; {@code samples} are those after the baseline, the end's last. */
    record Measured(long requests, long unexpected, Sample baseline, List<Sample> samples, long poolAllows,
            boolean idleAtEnd, long claudeLeftAfterStop) {
        Sample end() {
            return samples.getLast();
        }
    }

    boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    List<String> failures() {
        return checks.stream().filter(check -> !check.passed()).map(check -> check.what() + " (" + check.detail() + ")")
                .toList();
    }

    static Verdict judge(Measured m) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("no unexpected failure", m.unexpected() == 0,
                m.unexpected() + " of " + m.requests() + " requests"));
        double growth = medianGrowthOfLastThree(m.baseline(), m.samples());
        checks.add(new Check("server RSS growth after warm-up under " + (int) MAX_RSS_GROWTH_PERCENT + "%",
                growth < MAX_RSS_GROWTH_PERCENT, String.format(Locale.ROOT,
                        "%+.1f%% (median of the last three samples against the baseline)", growth)));
        checks.add(new Check("server idle at the end", m.idleAtEnd(),
                m.idleAtEnd() ? "no request in flight, no CLI busy" : "still busy after the wait"));
        Sample end = m.end();
        checks.add(new Check("claude processes within what the pool holds", end.claudeProcesses() <= m.poolAllows(),
                end.claudeProcesses() + " alive, the pool holds " + m.poolAllows()));
        checks.add(new Check("server threads back near the baseline", threadsBack(m.baseline(), end),
                end.threads() + " against " + m.baseline().threads() + " (margin " + THREAD_MARGIN + ")"));
        checks.add(new Check("server file descriptors back near the baseline", filesBack(m.baseline(), end),
                end.openFiles() + " against " + m.baseline().openFiles() + " (margin " + FD_MARGIN + ")"));
        checks.add(new Check("no claude process left after the server stopped", m.claudeLeftAfterStop() == 0,
                m.claudeLeftAfterStop() + " left"));
        return new Verdict(checks);
    }

    static boolean threadsBack(Sample baseline, Sample sample) {
        return sample.threads() <= baseline.threads() + THREAD_MARGIN;
    }

    static boolean filesBack(Sample baseline, Sample sample) {
        return sample.openFiles() <= baseline.openFiles() + FD_MARGIN;
    }

    /** Server RSS growth of {@code sample} over {@code baseline}, in percent. */
    static double growth(Sample baseline, Sample sample) {
        return (sample.serverRssMiB() - baseline.serverRssMiB()) / baseline.serverRssMiB() * 100;
    }

    /** The median growth of the last three samples (fewer if there are fewer): one GC's timing is not a trend. */
    static double medianGrowthOfLastThree(Sample baseline, List<Sample> samples) {
        List<Double> last = new ArrayList<>();
        for (Sample sample : samples.subList(Math.max(0, samples.size() - 3), samples.size())) {
            last.add(growth(baseline, sample));
        }
        last.sort(null);
        int n = last.size();
        return n % 2 == 1 ? last.get(n / 2) : (last.get(n / 2 - 1) + last.get(n / 2)) / 2;
    }
}
