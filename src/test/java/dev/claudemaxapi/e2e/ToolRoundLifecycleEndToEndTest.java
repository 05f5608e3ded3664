package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool round whose client does not come back, or leaves in the middle of the continuation, on the real CLI: the
 * waiting process is released (interrupted, then recycled) and nothing is left running.
 */
class ToolRoundLifecycleEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;
    private static final Duration TOOL_WAIT = Duration.ofSeconds(2);
    private static final String TOOLS = "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}]";
    private static final String QUESTION = "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}";
    private static final String FIRST_ROUND = "{\"model\":\"sonnet\",\"max_tokens\":100," + TOOLS + ",\"messages\":["
            + QUESTION + "]}";

    @TempDir
    Path scratch;
    LiveProxy proxy;

    private void start(UpstreamReply continuation) throws IOException {
        PoolSettings pool = LiveProxy.defaultPool();
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(60), POOLED ? new PoolSettings(pool.size(),
                pool.warmSpares(), pool.liveTtl(), pool.maxAge(), pool.maxTurns(), pool.maxGrowthBytes(),
                pool.recycling(), TOOL_WAIT) : pool);
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_weather").map(tool ->
                request.path("messages").toString().contains("22 C") ? continuation
                        : new UpstreamReply.ToolUse(tool, "{\"city\":\"Paris\"}")).orElse(null));
        proxy.upstream.always(UpstreamReply.text("no tools here"));
    }

    @AfterEach
    void stop() {
        proxy.close();
        Await.until(Duration.ofSeconds(10), "no claude process outlives the server",
                () -> LiveProxy.claudeDescendants() == 0);
    }

    private static String withResult(JsonNode use, String extra) {
        return "{\"model\":\"sonnet\",\"max_tokens\":100," + extra + TOOLS + ",\"messages\":[" + QUESTION
                + ",{\"role\":\"assistant\",\"content\":[" + use + "]},{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"tool_result\",\"tool_use_id\":\"" + use.path("id").asText() + "\",\"content\":\"22 C\"}]}]}";
    }

    @Test
    void aClientThatNeverBringsTheResultsHasTheWaitingProcessReleasedAndALateResultIsStillAnswered()
            throws Exception {
        start(UpstreamReply.text("It is sunny in Paris."));
        JsonNode call = proxy.post("/v1/messages", FIRST_ROUND);
        JsonNode use = call.path("content").get(0);
        assertThat(use.path("type").asText()).isEqualTo("tool_use");

        if (POOLED) {
            assertThat(proxy.stat("awaiting_tools")).as("the process waits inside the call").isEqualTo(1);
            Await.until(Duration.ofSeconds(15), "the wait ends after --tool-wait",
                    () -> proxy.stat("awaiting_tools") == 0);
            Await.until(Duration.ofSeconds(15), "its process is free again", () -> proxy.busyProcesses() == 0);
        } else {
            Await.until(Duration.ofSeconds(10), "without a pool no process waits", () -> proxy.cliProcesses() == 0);
        }

        JsonNode answer = proxy.post("/v1/messages", withResult(use, ""));

        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("It is sunny in Paris.");
        assertThat(proxy.stat("tool_rounds")).as("rebuilt from the request, not continued").isZero();
        assertThat(proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body().toString())
                .as("the rebuilt conversation carries the call and its result").contains("22 C")
                .contains(use.path("id").asText());
    }

    @Test
    void aClientThatLeavesDuringTheContinuationLeavesNothingRunning() throws Exception {
        start(new UpstreamReply.Text("It is sunny in Paris, and it will stay so all week.", 12, 30, 12,
                Duration.ofMillis(300)));
        JsonNode use = proxy.post("/v1/messages", FIRST_ROUND)
                .path("content").get(0);

        try (RawHttp client = RawHttp.connect(new InetSocketAddress("127.0.0.1", proxy.port()),
                Duration.ofSeconds(30))) {
            String body = withResult(use, "\"stream\":true,");
            client.send(List.of("POST /v1/messages HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
                    "Connection: close", "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length), body);
            client.readHead();
            client.readChunksUntil("text_delta");
        }

        Await.until(Duration.ofSeconds(15), "the continuation's process is stopped or recycled",
                () -> proxy.busyProcesses() == 0);
        JsonNode next = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertThat(next.path("content").get(0).path("text").asText()).isEqualTo("no tools here");
    }
}
