package dev.claudemaxapi.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One of the Claude plan's usage windows as the CLI last reported it (its {@code rate_limit_event} line, from the
 * upstream's {@code anthropic-ratelimit-unified-*} headers). The CLI reports the window that matters most at the
 * time (the representative claim), so a window not heard of is simply not known.
 *
 * @param type         {@code five_hour}, {@code seven_day}, {@code seven_day_opus}, {@code overage}...
 * @param status       {@code allowed}, {@code allowed_warning} or {@code rejected}
 * @param resetsAt     when the window starts over
 * @param utilization  the share used, 0 to 1, reported once a warning threshold is passed
 * @param overageStatus whether usage past the plan (extra usage) is allowed
 * @param usingOverage  whether requests are going on as extra usage
 * @param observedAt   when the proxy learned it
 */
public record PlanWindow(String type, String status, Optional<Instant> resetsAt, OptionalDouble utilization,
        Optional<String> overageStatus, boolean usingOverage, Instant observedAt) {
    public PlanWindow {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resetsAt, "resetsAt");
        Objects.requireNonNull(utilization, "utilization");
        Objects.requireNonNull(overageStatus, "overageStatus");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    /** Refusing requests until {@code resetsAt}, with no extra usage to go on with. */
    public boolean rejects(Instant now) {
        return status.equals("rejected") && !usingOverage && resetsAt.map(now::isBefore).orElse(false);
    }

    /** How people say the window: {@code five-hour}, {@code weekly}... */
    public String spokenName() {
        return switch (type) {
            case "five_hour" -> "five-hour";
            case "seven_day" -> "weekly";
            case "seven_day_opus" -> "weekly Opus";
            case "seven_day_sonnet" -> "weekly Sonnet";
            default -> type.replace('_', ' ');
        };
    }
}
