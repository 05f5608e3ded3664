package dev.claudemaxapi.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plan's windows as last reported, shared by every process: the engine writes what the CLI says, the HTTP side
 * reads it for {@code /health}, metrics and the Anthropic route's {@code anthropic-ratelimit-unified-*} headers, and
 * to refuse at once (429 with {@code Retry-After}) while a window rejects, instead of starting a CLI to hear it again.
 */
public final class PlanLimits {
    private static final DateTimeFormatter SAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The windows that hold for every model. */
    static final Set<String> PLAN_WIDE = Set.of("five_hour", "seven_day");
    /** How long a rejecting report refuses requests before one is let through to hear the upstream again. */
    static final Duration RECHECK_AFTER = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, PlanWindow> windows = new ConcurrentHashMap<>();
    /** The window the CLI reported last: the one the upstream names as the representative claim. */
    private volatile Optional<PlanWindow> latest = Optional.empty();

    public PlanLimits(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public void observe(PlanWindow window) {
        windows.put(window.type(), window);
        latest = Optional.of(window);
    }

    /** Every window heard of, by type. */
    public List<PlanWindow> windows() {
        return windows.values().stream().sorted(Comparator.comparing(PlanWindow::type)).toList();
    }

    public Optional<PlanWindow> latest() {
        return latest;
    }

    /**
     * @throws ProxyException 429 with {@code Retry-After} until the reset, while a plan-wide window (five-hour,
     *     weekly) refuses requests and no extra usage goes on. A model's own window (weekly Opus...) refuses only that
     *     model's requests, which the CLI hears for itself; and a report older than {@link #RECHECK_AFTER} lets
     *     requests through again, so an early reset or newly bought usage is seen without waiting for the reset.
     */
    public void checkNotRejected() {
        Instant now = clock.instant();
        for (PlanWindow window : windows.values()) {
            if (PLAN_WIDE.contains(window.type()) && window.rejects(now)
                    && window.observedAt().plus(RECHECK_AFTER).isAfter(now)) {
                Instant reset = window.resetsAt().orElseThrow();
                throw new ProxyException(ErrorKind.RATE_LIMITED, "Your Claude plan's " + window.spokenName()
                        + " limit is reached; it resets at " + SAY_TIME.format(reset) + ".", null,
                        Duration.between(now, reset), null);
            }
        }
    }
}
