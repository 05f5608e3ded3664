package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.claudemaxapi.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The plan's windows as last reported, and the refusal while one rejects. */
class PlanLimitsTest {
    private final TestClock clock = new TestClock();
    private final PlanLimits plan = new PlanLimits(clock);

    private PlanWindow window(String type, String status, Duration untilReset, boolean usingOverage) {
        return new PlanWindow(type, status, Optional.of(clock.instant().plus(untilReset)), OptionalDouble.of(0.5),
                Optional.of("rejected"), usingOverage, clock.instant());
    }

    @Test
    void aRejectingWindowRefusesUntilItsResetWithTheTimeLeftAsRetryAfter() {
        plan.observe(window("five_hour", "rejected", Duration.ofMinutes(90), false));

        ProxyException refused = catchThrowableOfType(ProxyException.class, plan::checkNotRejected);

        assertThat(refused.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(refused.retryAfter()).contains(Duration.ofMinutes(90));
        assertThat(refused.getMessage()).contains("five-hour limit").contains("UTC");
        clock.advance(Duration.ofMinutes(90));
        plan.checkNotRejected();
    }

    @Test
    void allowedWindowsExtraUsageAndAWindowWithoutAResetRefuseNothing() {
        plan.observe(window("five_hour", "allowed_warning", Duration.ofHours(1), false));
        plan.observe(window("seven_day", "rejected", Duration.ofDays(2), true));
        plan.observe(new PlanWindow("overage", "rejected", Optional.empty(), OptionalDouble.empty(),
                Optional.empty(), false, clock.instant()));

        plan.checkNotRejected();

        assertThat(plan.windows()).extracting(PlanWindow::type).containsExactly("five_hour", "overage", "seven_day");
        assertThat(plan.latest().map(PlanWindow::type)).contains("overage");
    }

    @Test
    void aNewerReportOfAWindowReplacesTheOlderOne() {
        plan.observe(window("five_hour", "rejected", Duration.ofHours(1), false));
        plan.observe(window("five_hour", "allowed", Duration.ofHours(5), false));

        plan.checkNotRejected();

        assertThat(plan.windows()).hasSize(1);
        assertThat(plan.windows().get(0).resetsAt()).contains(clock.instant().plus(Duration.ofHours(5)));
        assertThat(Instant.EPOCH).isBefore(clock.instant());
    }

    @Test
    void aModelsOwnWindowRefusesNothingHereTheCliHearsItForThatModel() {
        plan.observe(window("seven_day_opus", "rejected", Duration.ofDays(5), false));

        plan.checkNotRejected();
    }

    @Test
    void aRejectionReportedLongAgoLetsARequestThroughToHearTheUpstreamAgain() {
        plan.observe(window("seven_day", "rejected", Duration.ofDays(3), false));
        assertThat(catchThrowableOfType(ProxyException.class, plan::checkNotRejected)).isNotNull();

        clock.advance(PlanLimits.RECHECK_AFTER);

        plan.checkNotRejected();
    }
}
