package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestClock;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plan's windows over HTTP: refused at once with the reset as {@code Retry-After} while one rejects, shown in
 * {@code /health}, and as {@code anthropic-ratelimit-unified-*} headers on the Messages route.
 */
class PlanLimitsRouteTest {
    private static final String MESSAGES = "{\"model\":\"sonnet\",\"max_tokens\":9,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private final TestClock clock = new TestClock();
    private final PlanLimits plan = new PlanLimits(clock);
    private final ScriptedEngine engine = ScriptedEngine.replying("Hi");
    private final TestServer server = TestServer.with(engine).clock(clock).plan(plan).start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private void observe(String type, String status, Duration untilReset, OptionalDouble utilization) {
        plan.observe(new PlanWindow(type, status, Optional.of(clock.instant().plus(untilReset)), utilization,
                Optional.of("rejected"), false, clock.instant()));
    }

    @Test
    void whileAWindowRejectsEveryAnswerIsA429WithoutStartingTheEngine() {
        observe("five_hour", "rejected", Duration.ofMinutes(30), OptionalDouble.of(1.0));

        HttpResponse<String> messages = server.post("/v1/messages", MESSAGES);
        HttpResponse<String> chat = server.post("/v1/chat/completions",
                "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(messages.statusCode()).isEqualTo(429);
        assertThat(messages.headers().firstValue("Retry-After")).hasValue("1800");
        assertThat(tree(messages.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(tree(messages.body()).at("/error/message").asText()).contains("five-hour limit");
        assertThat(chat.statusCode()).isEqualTo(429);
        assertThat(tree(chat.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(engine.turns()).isEmpty();

        clock.advance(Duration.ofMinutes(30));
        assertThat(server.post("/v1/messages", MESSAGES).statusCode()).isEqualTo(200);
    }

    @Test
    void theMessagesRouteCarriesThePlanHeadersAndTheOpenAiRoutesDoNot() {
        observe("seven_day", "allowed", Duration.ofDays(3), OptionalDouble.empty());
        observe("five_hour", "allowed_warning", Duration.ofHours(2), OptionalDouble.of(0.91));

        HttpResponse<String> messages = server.post("/v1/messages", MESSAGES);
        HttpResponse<String> chat = server.post("/v1/chat/completions",
                "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        long reset = clock.instant().plus(Duration.ofHours(2)).getEpochSecond();
        assertThat(messages.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("allowed_warning");
        assertThat(messages.headers().firstValue("anthropic-ratelimit-unified-reset")).hasValue(Long.toString(reset));
        assertThat(messages.headers().firstValue("anthropic-ratelimit-unified-representative-claim"))
                .hasValue("five_hour");
        assertThat(messages.headers().firstValue("anthropic-ratelimit-unified-5h-utilization")).hasValue("0.91");
        assertThat(messages.headers().firstValue("anthropic-ratelimit-unified-7d-status")).hasValue("allowed");
        assertThat(chat.headers().firstValue("anthropic-ratelimit-unified-status")).isEmpty();
    }

    @Test
    void healthShowsEveryWindowHeardOf() {
        observe("five_hour", "allowed_warning", Duration.ofHours(2), OptionalDouble.of(0.91));

        JsonNode health = tree(server.get("/health").body());

        assertThat(health.path("plan")).hasSize(1);
        JsonNode window = health.path("plan").get(0);
        assertThat(window.path("type").asText()).isEqualTo("five_hour");
        assertThat(window.path("status").asText()).isEqualTo("allowed_warning");
        assertThat(window.path("utilization").asDouble()).isEqualTo(0.91);
        assertThat(window.path("resets_at").asText()).isEqualTo(clock.instant().plus(Duration.ofHours(2)).toString());
    }

    @Test
    void theHeadersGoOnlyToCallersOfTheMessagesRouteAndOnlyUntilTheReset() {
        observe("five_hour", "allowed_warning", Duration.ofMinutes(10), OptionalDouble.of(0.91));
        try (TestServer keyed = TestServer.with(ScriptedEngine.replying("Hi")).clock(clock).plan(plan)
                .apiKeys("plan-key").start()) {
            HttpResponse<String> stranger = keyed.get("/health", "anthropic-version", "2023-06-01");
            HttpResponse<String> caller = keyed.post("/v1/messages", MESSAGES, "Authorization", "Bearer plan-key");

            assertThat(stranger.headers().firstValue("anthropic-ratelimit-unified-status")).isEmpty();
            assertThat(caller.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("allowed_warning");
            clock.advance(Duration.ofMinutes(11));
            assertThat(keyed.post("/v1/messages", MESSAGES, "Authorization", "Bearer plan-key").headers()
                    .firstValue("anthropic-ratelimit-unified-5h-utilization")).isEmpty();
        }
    }
}
