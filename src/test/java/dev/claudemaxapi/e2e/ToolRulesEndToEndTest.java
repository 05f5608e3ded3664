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
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI leaves to the model and the proxy enforces, on the real CLI: a required or named tool choice, one
 * call per answer, and the shapes of what comes back (parallel calls, errors, images).
 */
class ToolRulesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;
    private static final String CITY = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
    private static final String ANTHROPIC_TOOLS = "\"tools\":["
            + "{\"name\":\"get_weather\",\"input_schema\":" + CITY + "},"
            + "{\"name\":\"get_time\",\"input_schema\":" + CITY + "}]";
    private static final String OPENAI_TOOLS = "\"tools\":["
            + "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":" + CITY + "}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":" + CITY + "}}]";

    @TempDir
    Path scratch;
    LiveProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(UpstreamReply.text("no tools here"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private JsonNode lastUpstream() {
        List<FakeUpstream.Captured> requests = proxy.upstream.requests();
        return requests.get(requests.size() - 1).body();
    }

    /** The tool_result blocks of the upstream request's last message. */
    private static List<JsonNode> toolResults(JsonNode request) {
        JsonNode messages = request.path("messages");
        List<JsonNode> results = new ArrayList<>();
        for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
            if (block.path("type").asText().equals("tool_result")) {
                results.add(block);
            }
        }
        return results;
    }

    @Test
    void aRequiredToolChoiceGetsACallEvenWhenTheModelFirstAnswersInProse() throws Exception {
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_weather").map(tool ->
                FakeUpstream.lastUserText(request).contains("requires a tool call")
                        ? (UpstreamReply) new UpstreamReply.ToolUse(tool, "{\"city\":\"Paris\"}")
                        : UpstreamReply.text("I would rather chat.")).orElse(null));

        JsonNode answer = proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\"," + OPENAI_TOOLS
                + ",\"tool_choice\":\"required\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}");

        JsonNode choice = answer.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("tool_calls").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");
        assertThat(answer.toString()).as("the prose of the first reply is not the answer").doesNotContain("rather chat");
        List<FakeUpstream.Captured> upstream = proxy.upstream.requests();
        assertThat(upstream).hasSize(2);
        assertThat(FakeUpstream.lastUserText(upstream.get(0).body()))
                .contains("Weather?").contains("you must call at least one of the tools offered to you");
        assertThat(FakeUpstream.lastUserText(upstream.get(1).body())).contains("requires a tool call");
    }

    @Test
    void aClientThatLeavesDuringTheReplyToAReminderHasThatTurnInterruptedNotHandedOnRunning() throws Exception {
        proxy.close();
        proxy = LiveProxy.start(scratch.resolve("one-process"), 4, Duration.ofSeconds(60), POOLED
                ? PoolSettings.of(1, 0, PoolSettings.Recycling.REWIND) : LiveProxy.defaultPool());
        proxy.upstream.always(UpstreamReply.text("no tools here"));
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_weather").map(tool ->
                FakeUpstream.lastUserText(request).contains("requires a tool call")
                        ? (UpstreamReply) new UpstreamReply.Text("Still only chatting, at length.", 12, 20, 9,
                                Duration.ofMillis(300))
                        : UpstreamReply.text("I would rather chat.")).orElse(null));
        String body = "{\"model\":\"sonnet\",\"max_tokens\":50,\"stream\":true," + ANTHROPIC_TOOLS
                + ",\"tool_choice\":{\"type\":\"any\"},\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}";

        try (RawHttp client = RawHttp.connect(new InetSocketAddress("127.0.0.1", proxy.port()), Duration.ofSeconds(30))) {
            client.send(List.of("POST /v1/messages HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
                    "Connection: close", "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length), body);
            client.readHead();
            client.readChunksUntil("message_start");
            Await.until(Duration.ofSeconds(15), "the reply to the reminder is streaming",
                    () -> proxy.upstream.requests().size() == 2);
        }
        Await.until(Duration.ofSeconds(15), "its process is free", () -> proxy.busyProcesses() == 0);

        JsonNode next = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":50,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(next.path("content").get(0).path("text").asText()).as("nothing of the left turn")
                .isEqualTo("no tools here");
        if (POOLED) {
            assertThat(proxy.stat("interrupted")).as("the running turn was interrupted").isEqualTo(1);
            assertThat(proxy.stat("spawned")).as("and its process kept, recycled").isEqualTo(1);
        }
    }

    @Test
    void aRequiredCallTheModelStillRefusesFailsTheRequestInTheApisErrorShape() throws Exception {
        HttpResponse<String> response = proxy.send("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":50,"
                + ANTHROPIC_TOOLS + ",\"tool_choice\":{\"type\":\"any\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}");

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("message").asText()).contains("tool_choice requires, even after a reminder");
        assertThat(proxy.upstream.requests()).as("the reply and the one reminder").hasSize(2);
        Await.until(Duration.ofSeconds(10), "the process of the failed turn ends", () -> proxy.busyProcesses() == 0);
    }

    @Test
    void aNamedToolChoiceKeepsACallOfAnotherToolFromTheClientAndTheModelIsToldWhy() throws Exception {
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_time").map(time -> {
            String upstreamName = time.replace("get_time", "get_weather");
            return request.path("messages").toString().contains("only the tool 'get_time'")
                    ? new UpstreamReply.ToolUse(time, "{\"city\":\"Oslo\"}")
                    : (UpstreamReply) new UpstreamReply.ToolUse(upstreamName, "{\"city\":\"Oslo\"}");
        }).orElse(null));

        JsonNode answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":50," + ANTHROPIC_TOOLS
                + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_time\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Time in Oslo?\"}]}");

        assertThat(answer.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(answer.path("content")).hasSize(1);
        assertThat(answer.path("content").get(0).path("name").asText()).isEqualTo("get_time");
        List<JsonNode> refused = toolResults(lastUpstream());
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).path("is_error").asBoolean()).isTrue();
        assertThat(refused.get(0).path("content").toString()).contains("only the tool 'get_time'");
    }

    @Test
    void oneCallPerAnswerShowsTheClientTheFirstCallAndTheModelLearnsTheSecondWasNotRun() throws Exception {
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_weather").map(tool ->
                request.path("messages").toString().contains("22 C") ? UpstreamReply.text("Paris is warm.")
                        : (UpstreamReply) new UpstreamReply.ToolUses(List.of(
                                new UpstreamReply.ToolUse(tool, "{\"city\":\"Paris\"}"),
                                new UpstreamReply.ToolUse(tool, "{\"city\":\"Rome\"}")))).orElse(null));
        String question = "{\"role\":\"user\",\"content\":\"Weather in Paris and Rome?\"}";
        String request = "{\"model\":\"sonnet\",\"max_tokens\":50," + ANTHROPIC_TOOLS
                + ",\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true},\"messages\":[" + question;

        JsonNode call = proxy.post("/v1/messages", request + "]}");

        assertThat(call.path("content")).hasSize(1);
        JsonNode use = call.path("content").get(0);
        assertThat(use.path("input").path("city").asText()).isEqualTo("Paris");
        assertThat(FakeUpstream.lastUserText(proxy.upstream.requests().get(0).body()))
                .contains("Call at most one tool in each reply.");

        JsonNode answer = proxy.post("/v1/messages", request + ",{\"role\":\"assistant\",\"content\":[" + use + "]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
                + use.path("id").asText() + "\",\"content\":\"22 C\"}]}]}");

        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("Paris is warm.");
        if (POOLED) {
            List<JsonNode> results = toolResults(lastUpstream());
            assertThat(results).hasSize(2);
            assertThat(results.get(0).path("tool_use_id").asText()).isEqualTo(use.path("id").asText());
            assertThat(results.get(1).path("is_error").asBoolean()).isTrue();
            assertThat(results.get(1).path("content").toString()).contains("only one tool may be called per reply");
        }
    }

    @Test
    void parallelCallsReachTheClientTogetherAndTheirResultsMayComeBackInAnyOrder() throws Exception {
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_weather").map(tool -> {
            String messages = request.path("messages").toString();
            return messages.contains("22 C") && messages.contains("18 C") ? UpstreamReply.text("Both known.")
                    : (UpstreamReply) new UpstreamReply.ToolUses(List.of(
                            new UpstreamReply.ToolUse(tool, "{\"city\":\"Paris\"}"),
                            new UpstreamReply.ToolUse(tool, "{\"city\":\"Rome\"}")));
        }).orElse(null));
        String question = "{\"role\":\"user\",\"content\":\"Weather in Paris and Rome?\"}";

        JsonNode call = proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\"," + OPENAI_TOOLS + ",\"messages\":["
                + question + "]}");

        JsonNode calls = call.path("choices").get(0).path("message").path("tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).isNotEqualTo(calls.get(1).path("id").asText());
        JsonNode answer = proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\"," + OPENAI_TOOLS + ",\"messages\":["
                + question + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":" + calls + "},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + calls.get(1).path("id").asText() + "\",\"content\":\"18 C\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + calls.get(0).path("id").asText() + "\",\"content\":\"22 C\"}"
                + "]}");

        assertThat(answer.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Both known.");
        if (POOLED) {
            assertThat(proxy.stat("tool_rounds")).isEqualTo(1);
            List<JsonNode> results = toolResults(lastUpstream());
            assertThat(results).extracting(result -> result.path("tool_use_id").asText()).as("in the calls' order")
                    .containsExactly(calls.get(0).path("id").asText(), calls.get(1).path("id").asText());
            assertThat(results.get(0).path("content").toString()).contains("22 C");
        }
    }

    @Test
    void aToolErrorWithAnImageReachesTheModelAsAnErrorResultWithTheImage() throws Exception {
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "get_weather").map(tool ->
                request.path("messages").toString().contains("radar down")
                        ? UpstreamReply.text("The radar failed.")
                        : (UpstreamReply) new UpstreamReply.ToolUse(tool, "{\"city\":\"Paris\"}")).orElse(null));
        String question = "{\"role\":\"user\",\"content\":\"Radar for Paris?\"}";
        JsonNode call = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":50," + ANTHROPIC_TOOLS
                + ",\"messages\":[" + question + "]}");
        JsonNode use = call.path("content").get(0);

        JsonNode answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":50," + ANTHROPIC_TOOLS
                + ",\"messages\":[" + question + ",{\"role\":\"assistant\",\"content\":[" + use + "]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
                + use.path("id").asText() + "\",\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\"radar down\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                + OpenAiSdkEndToEndTest.PNG_1X1 + "\"}}]}]}]}");

        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("The radar failed.");
        JsonNode continued = lastUpstream();
        assertThat(continued.toString()).contains(OpenAiSdkEndToEndTest.PNG_1X1);
        if (POOLED) {
            // the CLI keeps only the text of an error result, so this one says it is an error in words
            JsonNode result = toolResults(continued).get(0);
            assertThat(result.path("content").toString()).contains("The tool failed (is_error)")
                    .contains("radar down").contains("\"type\":\"image\"");
        } else {
            assertThat(continued.toString()).as("rebuilt: the error flag travels in the history")
                    .contains("\\\"is_error\\\":true");
        }
    }
}
