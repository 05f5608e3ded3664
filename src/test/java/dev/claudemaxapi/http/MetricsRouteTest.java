package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestClock;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the Prometheus text format, strictly checked, with what the requests and the engine did. */
class MetricsRouteTest {
    /** A sample line: a name, labels with quoted values, and a number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*)})?"
                    + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( [0-9]+)?");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final TestClock clock = new TestClock();
    private final PlanLimits plan = new PlanLimits(clock);
    private TestServer server;

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Every line checked against the text format; the samples by their name and labels. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> samples = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#")) {
                Matcher meta = META.matcher(line);
                assertThat(meta.matches()).as("a HELP or TYPE line: %s", line).isTrue();
                if (meta.group(1).equals("TYPE")) {
                    assertThat(types.put(meta.group(2), line)).as("one TYPE per family: %s", line).isNull();
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
            StringBuilder key = new StringBuilder(sample.group(1));
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                List<String> labels = new java.util.ArrayList<>();
                while (label.find()) {
                    labels.add(label.group(1) + "=" + label.group(2));
                }
                key.append(labels.stream().sorted().toList());
            }
            assertThat(samples.put(key.toString(), Double.parseDouble(sample.group(4).replace("+Inf", "Infinity"))))
                    .as("one sample per series: %s", line).isNull();
        }
        return samples;
    }

    @Test
    void aScrapeIsStrictTextFormatWithTheRequestsTokensEngineAndPlan() {
        server = TestServer.with(ScriptedEngine.replying("Hello")).clock(clock).plan(plan).start();
        plan.observe(new PlanWindow("five_hour", "allowed_warning", Optional.of(clock.instant().plusSeconds(3600)),
                OptionalDouble.of(0.91), Optional.empty(), false, clock.instant()));
        server.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        server.post("/v1/chat/completions", "{\"model\":\"no-such-model\",\"messages\":[]}");
        server.get("/v1/models/some-random-id");
        // a request is counted as it ends, just after its client has the answer
        Await.until(Duration.ofSeconds(5), "the last request counted",
                () -> server.get("/metrics").body().contains("route=\"/v1/models/{id}\""));

        HttpResponse<String> scrape = server.get("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        Map<String, Double> samples = parse(scrape.body());
        assertThat(samples).containsEntry("claude_max_api_requests_total[key=anonymous, model=claude-sonnet-5-5,"
                + " route=/v1/chat/completions, status=200]", 1.0);
        assertThat(samples).as("a model that never ran is no label").containsEntry(
                "claude_max_api_requests_total[key=anonymous, model=-, route=/v1/chat/completions, status=400]", 1.0);
        assertThat(samples).as("ids in paths are no label").containsEntry(
                "claude_max_api_requests_total[key=anonymous, model=-, route=/v1/models/{id}, status=404]", 1.0);
        assertThat(samples).containsEntry("claude_max_api_tokens_total[kind=output, model=claude-sonnet-5-5]",
                (double) ScriptedEngine.FINAL_USAGE.outputTokens());
        assertThat(samples).containsEntry(
                "claude_max_api_time_to_first_token_seconds_count[route=/v1/chat/completions]", 1.0);
        assertThat(samples).containsEntry(
                "claude_max_api_request_duration_seconds_count[route=/v1/chat/completions]", 2.0);
        assertThat(samples).containsEntry("claude_max_api_pool_misses_total", 3.0);
        assertThat(samples).containsEntry("claude_max_api_engine_events_total[event=cold_starts]", 3.0);
        assertThat(samples).containsEntry("claude_max_api_queue_depth", 0.0);
        assertThat(samples).containsEntry("claude_max_api_plan_utilization[window=five_hour]", 0.91);
        assertThat(samples).containsEntry("claude_max_api_plan_rejected[window=five_hour]", 0.0);
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes"));
    }

    @Test
    void withKeysTheScrapeTakesAnApiKeyOrTheMetricsKeyAndTheMetricsKeyOpensNothingElse() {
        server = TestServer.with(ScriptedEngine.replying("Hello")).apiKeys("api-key").metricsKey("scrape-key")
                .start();

        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(server.get("/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(server.get("/metrics", "Authorization", "Bearer scrape-key").statusCode()).isEqualTo(200);
        assertThat(server.get("/metrics", "Authorization", "Bearer api-key").statusCode()).isEqualTo(200);
        assertThat(server.get("/v1/models", "Authorization", "Bearer scrape-key").statusCode()).isEqualTo(401);
        assertThat(server.get("/usage", "Authorization", "Bearer scrape-key").statusCode()).isEqualTo(401);
    }

    @Test
    void aMetricsKeyOnAServerWithoutApiKeysStillGuardsTheScrape() {
        server = TestServer.with(ScriptedEngine.replying("Hello")).metricsKey("scrape-key").start();

        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(server.get("/metrics", "x-api-key", "scrape-key").statusCode()).isEqualTo(200);
        assertThat(server.get("/v1/models").statusCode()).isEqualTo(200);
        assertThat(Duration.ZERO).isZero();
    }

    @Test
    void aModelIdTheCatalogDoesNotListIsCountedAsOtherSoClientsCannotAddSeries() {
        server = TestServer.with(ScriptedEngine.scripted(ScriptedEngine.reply("Hi").withModel("claude-made-up-7")
                .steps())).start();
        server.post("/v1/chat/completions", "{\"model\":\"claude-made-up-7\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}");
        Await.until(Duration.ofSeconds(5), "the request counted",
                () -> server.get("/metrics").body().contains("route=\"/v1/chat/completions\""));

        Map<String, Double> samples = parse(server.get("/metrics").body());

        assertThat(samples).containsEntry("claude_max_api_requests_total[key=anonymous, model=other,"
                + " route=/v1/chat/completions, status=200]", 1.0);
        assertThat(samples.keySet()).noneMatch(name -> name.contains("claude-made-up-7"));
    }
}
