package dev.claudemaxapi.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final Sample BASELINE = sample(100, 6, 50, 40);

    @Test
    void passesWhenNothingFailedGrewOrWasLeftBehind() {
        Verdict verdict = Verdict.judge(measured(0, List.of(sample(104, 8, 53, 48), sample(105, 6, 52, 41)), 6, 0));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.failures()).isEmpty();
    }

    @Test
    void failsOnAnyUnexpectedFailure() {
        Verdict verdict = Verdict.judge(measured(1, List.of(sample(100, 6, 50, 40)), 6, 0));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures()).containsExactly("no unexpected failure (1 of 500 requests)");
    }

    @Test
    void judgesMemoryGrowthOnTheMedianOfTheLastThreeSamples() {
        List<Sample> oneSpike = List.of(sample(103, 6, 50, 40), sample(125, 6, 50, 40), sample(104, 6, 50, 40));
        List<Sample> steadyGrowth = List.of(sample(108, 6, 50, 40), sample(111, 6, 50, 40), sample(114, 6, 50, 40));

        assertThat(Verdict.medianGrowthOfLastThree(BASELINE, oneSpike)).isEqualTo(4.0);
        assertThat(Verdict.judge(measured(0, oneSpike, 6, 0)).passed()).isTrue();
        assertThat(Verdict.judge(measured(0, steadyGrowth, 6, 0)).failures()).containsExactly(
                "server RSS growth after warm-up under 10% (+11.0% (median of the last three samples against the"
                        + " baseline))");
    }

    @Test
    void failsWhenMoreClaudeProcessesRunThanTheIdlePoolHolds() {
        Verdict verdict = Verdict.judge(measured(0, List.of(sample(100, 7, 50, 40)), 6, 0));

        assertThat(verdict.failures()).containsExactly(
                "claude processes within what the pool holds (7 alive, the pool holds 6)");
    }

    @Test
    void failsWhenThreadsOrDescriptorsStayAboveTheBaselineBeyondTheMargin() {
        Sample grown = sample(100, 6, 50 + Verdict.THREAD_MARGIN + 1, 40 + Verdict.FD_MARGIN + 1);

        Verdict verdict = Verdict.judge(measured(0, List.of(grown), 6, 0));

        assertThat(verdict.failures()).containsExactly(
                "server threads back near the baseline (56 against 50 (margin 5))",
                "server file descriptors back near the baseline (51 against 40 (margin 10))");
    }

    @Test
    void failsWhenAClaudeProcessOutlivesTheServer() {
        Verdict verdict = Verdict.judge(measured(0, List.of(sample(100, 6, 50, 40)), 6, 1));

        assertThat(verdict.failures()).containsExactly("no claude process left after the server stopped (1 left)");
    }

    private static Verdict.Measured measured(long unexpected, List<Sample> afterBaseline, long poolAllows,
            long claudeLeft) {
        return new Verdict.Measured(500, unexpected, BASELINE, afterBaseline, poolAllows, true, claudeLeft);
    }

    private static Sample sample(double serverRssMiB, long claudeProcesses, long threads, long openFiles) {
        return new Sample(0, "", serverRssMiB, 900, claudeProcesses, threads, openFiles);
    }
}
