package dev.claudemaxapi.http;

import com.sun.net.httpserver.Headers;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import java.time.Instant;
import java.util.Locale;

/**
 * The Anthropic API's {@code anthropic-ratelimit-unified-*} response headers, from the plan's windows as the CLI
 * last reported them, so a client of the Messages route sees its plan as it would from the API itself (Claude Code
 * shows them). Windows the CLI has not reported are left out rather than guessed.
 */
final class PlanHeaders {
    private static final String PREFIX = "anthropic-ratelimit-unified-";

    private PlanHeaders() {}

    static void apply(PlanLimits plan, Headers headers) {
        Instant now = plan.clock().instant();
        // a window whose reset has passed says nothing true any more
        plan.latest().filter(window -> current(window, now)).ifPresent(representative -> {
            headers.set(PREFIX + "status", representative.status());
            representative.resetsAt().ifPresent(reset -> headers.set(PREFIX + "reset",
                    Long.toString(reset.getEpochSecond())));
            headers.set(PREFIX + "representative-claim", representative.type());
            representative.overageStatus().ifPresent(status -> headers.set(PREFIX + "overage-status", status));
        });
        for (PlanWindow window : plan.windows().stream().filter(window -> current(window, now)).toList()) {
            String name = PREFIX + abbreviation(window.type()) + "-";
            if (!window.type().equals("overage")) {
                headers.set(name + "status", window.status());
            }
            window.resetsAt().ifPresent(reset -> headers.set(name + "reset", Long.toString(reset.getEpochSecond())));
            window.utilization().ifPresent(used -> headers.set(name + "utilization",
                    String.format(Locale.ROOT, "%s", used)));
        }
    }

    private static boolean current(PlanWindow window, Instant now) {
        return window.resetsAt().map(now::isBefore).orElse(true);
    }

    /** The header's short name of a window, as the API writes it. */
    static String abbreviation(String type) {
        return switch (type) {
            case "five_hour" -> "5h";
            case "seven_day" -> "7d";
            case "seven_day_overage_included" -> "7d_oi";
            default -> type;
        };
    }
}
