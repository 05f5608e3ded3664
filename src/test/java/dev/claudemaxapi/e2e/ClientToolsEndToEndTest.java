package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's own tools on the real CLI: offered to the model as MCP tools of an in-band server, called by a fake
 * upstream that asks for them, and handed back to the client under its own names.
 */
class ClientToolsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The tier also runs with the pool off, where no process waits and every round is rebuilt. */
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
            + "\"description\":\"A city\"}},\"required\":[\"city\"]}";

    @TempDir
    Path scratch;
    LiveProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        // the model calls the offered tool until it has a result, then answers with it
        proxy.upstream.route(request -> {
            Optional<String> tool = FakeUpstream.offeredTool(request, "get_weather");
            if (tool.isEmpty()) {
                return null;
            }
            // the result may come as a tool_result block or, on a rebuilt conversation, inside the history text
            return request.path("messages").toString().contains("22 C, sunny")
                    ? UpstreamReply.text("It is sunny in Paris.")
                    : new UpstreamReply.ToolUse(tool.get(), "{\"city\": \"Paris\"}");
        });
        proxy.upstream.always(UpstreamReply.text("no tools here"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void anAnthropicClientGetsTheModelsToolCallUnderItsOwnNameAndItsResultAnswered() throws Exception {
        String tools = "\"tools\":[{\"name\":\"get_weather\",\"description\":\"The weather now\",\"input_schema\":"
                + SCHEMA + "}]";
        String question = "{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}";

        JsonNode call = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100," + tools
                + ",\"messages\":[" + question + "]}");

        assertThat(call.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode use = call.path("content").get(call.path("content").size() - 1);
        assertThat(use.path("type").asText()).isEqualTo("tool_use");
        assertThat(use.path("name").asText()).isEqualTo("get_weather");
        assertThat(use.path("input")).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        JsonNode upstream = proxy.upstream.requests().get(0).body();
        List<JsonNode> offered = new java.util.ArrayList<>();
        upstream.path("tools").forEach(offered::add);
        assertThat(offered).as("only the client's tool").hasSize(1);
        assertThat(offered.get(0).path("input_schema")).isEqualTo(JSON.readTree(SCHEMA));
        assertThat(offered.get(0).path("description").asText()).isEqualTo("The weather now");

        JsonNode answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100," + tools
                + ",\"messages\":[" + question + ",{\"role\":\"assistant\",\"content\":[" + use + "]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
                + use.path("id").asText() + "\",\"content\":\"22 C, sunny\"}]}]}");

        assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("It is sunny in Paris.");
        JsonNode continued = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body();
        assertThat(continued.toString()).contains("22 C, sunny");
        if (POOLED) {
            assertThat(proxy.stat("tool_rounds")).as("the waiting process took the result").isEqualTo(1);
            assertThat(turns(continued)).as("one continuous conversation, the result as a real tool_result block")
                    .containsExactly("user:text", "assistant:tool_use", "user:tool_result");
            assertThat(continued.toString()).contains("\"tool_use_id\":\"" + use.path("id").asText() + "\"");
        } else {
            assertThat(turns(continued)).as("rebuilt in a fresh process: the history in one message")
                    .containsExactly("user:text");
            assertThat(continued.toString()).contains("conversation_history");
        }
        assertThat(continued.path("tools")).as("the same tool list on every round").isEqualTo(upstream.path("tools"));
    }

    @Test
    void aLongNamespacedToolNameReachesTheApiWithinItsLimitAndComesBackAsTheClientsOwn() throws Exception {
        String name = "org.example.inventory-service:warehouse.items.search_by_sku_and_location";
        proxy.upstream.route(request -> {
            for (JsonNode tool : request.path("tools")) {
                if (tool.path("name").asText().startsWith("mcp__client_")) {
                    return request.path("messages").toString().contains("7 in stock")
                            ? UpstreamReply.text("Seven left.")
                            : new UpstreamReply.ToolUse(tool.path("name").asText(), "{\"sku\": \"A-1\"}");
                }
            }
            return null;
        });
        String tools = "\"tools\":[{\"name\":\"" + name + "\",\"input_schema\":{\"type\":\"object\"}}]";
        String question = "{\"role\":\"user\",\"content\":\"How many A-1?\"}";

        JsonNode call = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100," + tools
                + ",\"messages\":[" + question + "]}");

        JsonNode use = call.path("content").get(0);
        assertThat(use.path("name").asText()).isEqualTo(name);
        String upstreamName = proxy.upstream.requests().get(0).body().path("tools").get(0).path("name").asText();
        assertThat(upstreamName).as("the Messages API's tool name rule").matches("[a-zA-Z0-9_-]{1,64}");
        JsonNode answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100," + tools
                + ",\"messages\":[" + question + ",{\"role\":\"assistant\",\"content\":[" + use + "]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
                + use.path("id").asText() + "\",\"content\":\"7 in stock\"}]}]}");
        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("Seven left.");
    }

    @Test
    void oneRecycledProcessOffersEachNewConversationExactlyItsOwnTools() throws Exception {
        proxy.close();
        proxy = LiveProxy.start(scratch.resolve("one-process"), 4, java.time.Duration.ofSeconds(60), POOLED
                ? PoolSettings.of(1, 0, PoolSettings.Recycling.REWIND)
                : LiveProxy.defaultPool());
        proxy.upstream.always(UpstreamReply.text("Fine."));
        List<List<String>> toolSets = List.of(List.of("alpha", "beta"), List.of("gamma"), List.of(),
                List.of("alpha"), List.of("delta", "beta"));

        for (List<String> names : toolSets) {
            StringBuilder tools = new StringBuilder();
            for (String name : names) {
                tools.append(tools.isEmpty() ? "" : ",").append("{\"name\":\"").append(name)
                        .append("\",\"input_schema\":{\"type\":\"object\"}}");
            }
            proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100,\"tools\":[" + tools + "],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Conversation with " + names + "\"}]}");

            JsonNode upstream = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body();
            List<String> offered = new java.util.ArrayList<>();
            upstream.path("tools").forEach(tool ->
                    offered.add(tool.path("name").asText().replaceAll("^mcp__client_[ab]__", "")));
            assertThat(offered).as("tools offered for %s", names).containsExactlyInAnyOrderElementsOf(names);
        }
        if (POOLED) {
            assertThat(proxy.stat("spawned")).as("one process served every conversation").isEqualTo(1);
            assertThat(proxy.stat("recycled_used")).isEqualTo(toolSets.size() - 1);
        }
    }

    /** The upstream request's turns as role:first-block-type, without the CLI's own system rows. */
    private static List<String> turns(JsonNode request) {
        List<String> turns = new java.util.ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            if (!message.path("role").asText().equals("system")) {
                turns.add(message.path("role").asText() + ":" + message.path("content").get(0).path("type").asText());
            }
        }
        return turns;
    }

    @Test
    void threeToolRoundsRunInOneWaitingProcessWithNoSpawnAfterTheFirst() throws Exception {
        proxy.upstream.route(request -> {
            Optional<String> tool = FakeUpstream.offeredTool(request, "roll_die");
            if (tool.isEmpty()) {
                return null;
            }
            // results come as tool_result blocks, or inside the history text when the conversation was rebuilt
            String messages = request.path("messages").toString();
            long results = (messages.length() - messages.replace("tool_use_id", "").length()) / "tool_use_id".length();
            return results < 3 ? new UpstreamReply.ToolUse(tool.get(), "{\"sides\": 6}")
                    : UpstreamReply.text("Rolled three times.");
        });
        String tools = "\"tools\":[{\"name\":\"roll_die\",\"input_schema\":{\"type\":\"object\"}}]";
        StringBuilder messages = new StringBuilder("{\"role\":\"user\",\"content\":\"Roll a die three times.\"}");
        JsonNode answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100," + tools
                + ",\"messages\":[" + messages + "]}");
        long spawned = proxy.stat("spawned");

        for (int round = 1; round <= 3; round++) {
            assertThat(answer.path("stop_reason").asText()).as("round %d", round).isEqualTo("tool_use");
            JsonNode use = answer.path("content").get(0);
            messages.append(",{\"role\":\"assistant\",\"content\":[").append(use).append("]},")
                    .append("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"")
                    .append(use.path("id").asText()).append("\",\"content\":\"").append(round).append("\"}]}");
            answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100," + tools
                    + ",\"messages\":[" + messages + "]}");
        }

        assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("Rolled three times.");
        if (POOLED) {
            assertThat(proxy.stat("tool_rounds")).isEqualTo(3);
            assertThat(proxy.stat("spawned") - spawned).as("beyond a spare topped up").isLessThanOrEqualTo(1);
        } else {
            assertThat(proxy.stat("spawned") - spawned).as("a fresh process per round").isEqualTo(3);
        }
    }

    private String stream(String path, String body) throws Exception {
        HttpResponse<String> response = proxy.send(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void aStreamedAnthropicAnswerCarriesTheCallAsAToolUseBlockAndInputJsonDeltas() throws Exception {
        String events = stream("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":100,\"stream\":true,"
                + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + SCHEMA + "}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");

        assertThat(events).contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_fake_1\","
                + "\"name\":\"get_weather\",\"input\":{}}")
                .contains("\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}")
                .contains("\"stop_reason\":\"tool_use\"").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
                .doesNotContain("mcp__");
    }

    @Test
    void aStreamedOpenAiAnswerCarriesTheCallAsToolCallDeltas() throws Exception {
        String chunks = stream("/v1/chat/completions", "{\"model\":\"sonnet\",\"stream\":true,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + SCHEMA + "}}],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");

        assertThat(chunks).contains("\"tool_calls\":[{\"index\":0,\"id\":\"toolu_fake_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]")
                .contains("\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]")
                .contains("\"finish_reason\":\"tool_calls\"").contains("data: [DONE]").doesNotContain("mcp__");
    }

    @Test
    void anOpenAiClientGetsToolCallsAndFinishReasonToolCalls() throws Exception {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"The weather now\",\"parameters\":" + SCHEMA + "}}]";

        JsonNode call = proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\"," + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");

        JsonNode choice = call.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode toolCall = choice.path("message").path("tool_calls").get(0);
        assertThat(toolCall.path("type").asText()).isEqualTo("function");
        assertThat(toolCall.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(JSON.readTree(toolCall.path("function").path("arguments").asText()))
                .isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        JsonNode answer = proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\"," + tools + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + toolCall + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + toolCall.path("id").asText()
                + "\",\"content\":\"22 C, sunny\"}]}");

        assertThat(answer.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(answer.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("It is sunny in Paris.");
    }
}
