package dev.claudemaxapi.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code GET /health}: open without a key, so monitors need no secret; it says nothing a client could abuse. */
final class HealthRoute implements Route {
    record Health(String status, @JsonProperty("uptime_seconds") long uptimeSeconds, Cli cli, Requests requests,
            Map<String, Long> engine) {}

    record Cli(String path, String version) {}

    record Requests(@JsonProperty("in_flight") int inFlight, int queued) {}

    private final ObjectMapper json;
    private final Engine engine;
    private final Admission admission;
    private final Clock clock;
    private final Instant started;

    HealthRoute(ObjectMapper json, Engine engine, Admission admission, Clock clock) {
        this.json = json;
        this.engine = engine;
        this.admission = admission;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public void handle(HttpCall call) throws IOException {
        EngineInfo info = engine.info();
        call.sendJson(200, Json.write(json, new Health("ok",
                Duration.between(started, clock.instant()).toSeconds(),
                new Cli(info.cliPath(), info.cliVersion()),
                new Requests(admission.inFlight(), admission.queued()),
                info.stats())));
    }
}
