package dev.claudemaxapi.store;

import dev.claudemaxapi.core.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One answer request, as the usage history keeps it.
 *
 * @param route   the path it came in on, such as {@code /v1/messages}
 * @param model   the model that ran (or was asked for, when none ran)
 * @param caller  whose it was: the API key's name or id, or {@code anonymous}
 * @param costUsd what the CLI reported it cost, when it did
 * @param engine  how the engine served it (a warm process, a live conversation...), or {@code -}
 */
public record UsageRecord(Instant at, String route, String model, String caller, int status, Usage usage,
        OptionalDouble costUsd, Duration duration, Streamed streamed, String engine) {
    /** Whether the answer was streamed. */
    public enum Streamed {
        YES, NO
    }

    public UsageRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(streamed, "streamed");
        Objects.requireNonNull(engine, "engine");
    }
}
