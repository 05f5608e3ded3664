package dev.claudemaxapi.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.PlanWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's {@code rate_limit_event} lines, recorded with the plan-window headers the upstream sent. */
class PlanLimitLinesTest {
    private final CliLineParser parser = new CliLineParser(Json.mapper());
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private List<PlanWindow> windows(String transcript) throws Exception {
        List<PlanWindow> windows = new ArrayList<>();
        for (String line : TurnTranslatorTest.lines(transcript)) {
            if (parser.parse(line) instanceof CliLine.PlanLimit limit) {
                windows.add(limit.window(NOW));
            }
        }
        return windows;
    }

    @Test
    void anAllowedAnswerReportsItsWindowWithoutAUtilization() throws Exception {
        assertThat(windows("plan_allowed")).singleElement().satisfies(window -> {
            assertThat(window.type()).isEqualTo("five_hour");
            assertThat(window.status()).isEqualTo("allowed");
            assertThat(window.resetsAt()).contains(Instant.ofEpochSecond(1764676800));
            assertThat(window.utilization()).isEmpty();
            assertThat(window.overageStatus()).contains("rejected");
            assertThat(window.observedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void aWarningCarriesTheShareUsed() throws Exception {
        assertThat(windows("plan_warning")).singleElement().satisfies(window -> {
            assertThat(window.status()).isEqualTo("allowed_warning");
            assertThat(window.utilization()).hasValue(0.91);
        });
    }

    @Test
    void aRejectedRequestReportsTheWindowThatRefusedIt() throws Exception {
        assertThat(windows("plan_rejected")).singleElement().satisfies(window -> {
            assertThat(window.status()).isEqualTo("rejected");
            assertThat(window.rejects(Instant.ofEpochSecond(1764676800 - 60))).isTrue();
            assertThat(window.rejects(Instant.ofEpochSecond(1764676800))).isFalse();
        });
    }
}
