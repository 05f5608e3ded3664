package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.TranscriptRecorder;
import dev.claudemaxapi.testing.UpstreamReply;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees, on the real CLI: the plan's windows from the upstream's {@code anthropic-ratelimit-unified-*}
 * headers (in {@code /health} and on the Messages route), a rejected plan refused at once until its reset, and usage
 * totals that survive a restart.
 */
class OperationsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;
    LiveProxy proxy;
    AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(UpstreamReply.text("Hello from the fake upstream"));
        client = AnthropicOkHttpClient.builder().baseUrl(proxy.baseUrl()).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    private static MessageCreateParams hi() {
        return MessageCreateParams.builder().model("sonnet").maxTokens(64).addUserMessage("Hi").build();
    }

    @Test
    void aPlanWarningFromTheUpstreamReachesHealthAndTheMessagesRoutesHeaders() throws Exception {
        Instant reset = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        proxy.upstream.responseHeaders(TranscriptRecorder.planHeaders("allowed_warning", "0.91", reset));

        client.messages().create(hi());
        HttpResponseFor<Message> second = client.messages().withRawResponse().create(hi());

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().values("anthropic-ratelimit-unified-status")).containsExactly("allowed_warning");
        assertThat(second.headers().values("anthropic-ratelimit-unified-5h-utilization")).containsExactly("0.91");
        assertThat(second.headers().values("anthropic-ratelimit-unified-reset"))
                .containsExactly(Long.toString(reset.getEpochSecond()));
        JsonNode window = JSON.readTree(proxy.get("/health").body()).path("plan").get(0);
        assertThat(window.path("type").asText()).isEqualTo("five_hour");
        assertThat(window.path("utilization").asDouble()).isEqualTo(0.91);
        assertThat(window.path("resets_at").asText()).isEqualTo(reset.toString());
    }

    @Test
    void aRejectedPlanIsA429UntilItsResetAndTheNextRequestStartsNoCli() throws Exception {
        Instant reset = Instant.now().plus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.SECONDS);
        proxy.upstream.responseHeaders(TranscriptRecorder.planHeaders("rejected", "1.0", reset));
        proxy.upstream.always(new UpstreamReply.Error(429, "rate_limit_error", "plan limit reached", 2400));

        HttpResponse<String> first = proxy.send("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        int upstreamCalls = proxy.upstream.requests().size();
        long spawned = proxy.stat("spawned");

        assertThat(first.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(first.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(2300L, 2400L);
        assertThatThrownBy(() -> client.messages().create(hi())).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("five-hour limit");
        assertThat(proxy.upstream.requests()).as("nothing more reached the upstream").hasSize(upstreamCalls);
        assertThat(proxy.stat("spawned")).as("no CLI was started to hear it again").isEqualTo(spawned);
    }

    @Test
    void usageTotalsAreTheSameAfterARestart() throws Exception {
        client.messages().create(hi());
        proxy.send("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        // a request's usage is written as it ends, just after its client has the answer
        Await.until(Duration.ofSeconds(5), "both requests in the usage history", () -> usageRequests() == 2);
        JsonNode before = JSON.readTree(proxy.get("/usage?group_by=model").body());
        client.close();
        proxy.close();

        proxy = LiveProxy.start(scratch);
        client = AnthropicOkHttpClient.builder().baseUrl(proxy.baseUrl()).apiKey("unused").maxRetries(0).build();
        JsonNode after = JSON.readTree(proxy.get("/usage?group_by=model").body());

        assertThat(before.path("total").path("requests").asLong()).isEqualTo(2);
        assertThat(before.path("total").path("output_tokens").asLong()).isPositive();
        assertThat(after.path("groups")).isEqualTo(before.path("groups"));
        assertThat(after.path("total")).isEqualTo(before.path("total"));
    }

    @Test
    void theScrapeCountsWhatTheRealEngineDid() throws Exception {
        client.messages().create(hi());
        client.messages().create(hi());
        // a request is counted as it ends, just after its client has the answer
        Await.until(Duration.ofSeconds(5), "both answers in the usage history", () -> usageRequests() == 2);

        HttpResponse<String> scrape = proxy.get("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("claude_max_api_requests_total{key=\"anonymous\",model=\"claude-sonnet-5-5\","
                + "route=\"/v1/messages\",status=\"200\"} 2.0");
        assertThat(scrape.body()).contains("claude_max_api_cli_processes{state=\"warm\"}");
        assertThat(scrape.body()).containsPattern("claude_max_api_tokens_total\\{kind=\"output\",model=\"claude-sonnet-5-5\"} [1-9]");
    }

    @Test
    void eachAnswerIsChargedWhatItsOwnTurnCostThoughTheCliReportsATotalPerProcess() throws Exception {
        proxy.upstream.always(new UpstreamReply.Text("Same answer", 2, 1200, 85, Duration.ZERO));
        String first = "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        proxy.post("/v1/chat/completions", first);
        Await.until(Duration.ofSeconds(5), "the first answer in the usage history", () -> usageRequests() == 1);
        double one = JSON.readTree(proxy.get("/usage").body()).path("total").path("cost_usd").asDouble();

        // the same conversation goes on, in the same process when the pool holds it
        proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"},{\"role\":\"assistant\",\"content\":\"Same answer\"},{\"role\":\"user\",\"content\":\"Again\"}]}");
        Await.until(Duration.ofSeconds(5), "both answers in the usage history", () -> usageRequests() == 2);
        double two = JSON.readTree(proxy.get("/usage").body()).path("total").path("cost_usd").asDouble();

        assertThat(one).as("the CLI prices the upstream's tokens").isPositive();
        assertThat(two).as("the second answer costs what the first did, not the process's total")
                .isCloseTo(2 * one, org.assertj.core.data.Offset.offset(one / 1000));
        assertThat(proxy.get("/metrics").body()).containsPattern(
                "claude_max_api_cost_usd_total\\{model=\"claude-sonnet-5-5\"} [0-9.eE-]+");
    }

    private long usageRequests() {
        try {
            return JSON.readTree(proxy.get("/usage").body()).path("total").path("requests").asLong();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
