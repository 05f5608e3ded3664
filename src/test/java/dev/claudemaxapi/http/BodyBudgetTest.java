package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.claudemaxapi.core.ProxyException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aBodyReservesSeveralTimesItsSizeUntilItsRequestEnds() throws Exception {
        BodyBudget budget = new BodyBudget(64 * MIB, Duration.ofMillis(50));
        try (BodyBudget.Reservation reservation = budget.reserve()) {
            reservation.cover(4 * MIB);
            assertThat(budget.available()).isEqualTo(64 * MIB - 4 * MIB * BodyBudget.COST_PER_BYTE);
        }
        assertThat(budget.available()).isEqualTo(64 * MIB);
    }

    @Test
    void growingABodyReservesOnlyTheDifference() throws Exception {
        BodyBudget budget = new BodyBudget(64 * MIB, Duration.ofMillis(50));
        try (BodyBudget.Reservation reservation = budget.reserve()) {
            reservation.cover(MIB);
            reservation.cover(2 * MIB);
            reservation.cover(2 * MIB);
            assertThat(budget.available()).isEqualTo(64 * MIB - 2 * MIB * BodyBudget.COST_PER_BYTE);
        }
    }

    @Test
    void aSecondLargeBodyWaitsThenGetsA503() throws Exception {
        BodyBudget budget = new BodyBudget(64 * MIB, Duration.ofMillis(50));
        try (BodyBudget.Reservation first = budget.reserve(); BodyBudget.Reservation second = budget.reserve()) {
            first.cover(10 * MIB);

            ProxyException busy = catchThrowableOfType(ProxyException.class, () -> second.cover(10 * MIB));

            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.retryAfter()).isPresent();
        }
        assertThat(budget.available()).isEqualTo(64 * MIB);
    }

    @Test
    void aBodyLargerThanTheWholeBudgetIsA413() {
        BodyBudget budget = new BodyBudget(64 * MIB, Duration.ofMillis(50));
        BodyBudget.Reservation reservation = budget.reserve();

        ProxyException tooLarge = catchThrowableOfType(ProxyException.class, () -> reservation.cover(17 * MIB));

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(budget.available()).isEqualTo(64 * MIB);
    }
}
