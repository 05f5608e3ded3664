package dev.claudemaxapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: open without a key, so monitors need no secret, and then it says only that the server is up
 * and its version. A caller with a key (or any caller of a server that needs none) also sees uptime, the CLI,
 * requests in flight, the engine's counters and the plan's windows as the CLI last reported them; the CLI's path names the user's home directory, so it is not for
 * everyone.
 */
final class HealthRoute implements Route {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(String status, String version, @JsonProperty("uptime_seconds") Long uptimeSeconds, Cli cli,
            Requests requests, Map<String, Long> engine, List<Window> plan) {}

    /** A plan window as the CLI last reported it; absent fields were not reported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Window(String type, String status, @JsonProperty("resets_at") String resetsAt, Double utilization,
            @JsonProperty("overage_status") String overageStatus, @JsonProperty("using_overage") boolean usingOverage,
            @JsonProperty("observed_at") String observedAt) {
        static Window of(PlanWindow window) {
            return new Window(window.type(), window.status(), window.resetsAt().map(Object::toString).orElse(null),
                    window.utilization().isPresent() ? window.utilization().getAsDouble() : null,
                    window.overageStatus().orElse(null), window.usingOverage(), window.observedAt().toString());
        }
    }

    record Cli(String path, String version) {}

    record Requests(@JsonProperty("in_flight") int inFlight, int queued) {}

    private final ObjectMapper json;
    private final Engine engine;
    private final Admission admission;
    private final PlanLimits plan;
    private final Clock clock;
    private final Instant started;
    private final String version;

    HealthRoute(ObjectMapper json, Engine engine, Admission admission, PlanLimits plan, Clock clock) {
        this.plan = plan;
        this.json = json;
        this.engine = engine;
        this.admission = admission;
        this.clock = clock;
        this.started = clock.instant();
        String implementation = HealthRoute.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "dev" : implementation;
    }

    @Override
    public void handle(HttpCall call) throws IOException {
        if (call.caller().isEmpty()) {
            call.sendJson(200, Json.write(json, new Health("ok", version, null, null, null, null, null)));
            return;
        }
        EngineInfo info = engine.info();
        call.sendJson(200, Json.write(json, new Health("ok", version,
                Duration.between(started, clock.instant()).toSeconds(),
                new Cli(info.cliPath(), info.cliVersion()),
                new Requests(admission.inFlight(), admission.queued()),
                info.stats(), plan.windows().stream().map(Window::of).toList())));
    }
}
