package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loop each official SDK documents, streaming, on the real CLI: the model calls the client's tool three
 * times, the SDK's own accumulator and tool types read every call, and the client sends each result back. With the
 * pool on, rounds two to four continue the process that waits inside the call: no spawn, no history re-sent.
 */
class SdkAgentLoopEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;

    @TempDir
    Path scratch;
    LiveProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        // the model rolls until it has three results (tool_result blocks, or the history text when rebuilt)
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "roll_die").map(name -> {
            String messages = request.path("messages").toString();
            long results = (messages.length() - messages.replace("tool_use_id", "").length()) / "tool_use_id".length();
            return results < 3 ? new UpstreamReply.ToolUse(name, "{\"sides\": " + (6 + results) + "}")
                    : (UpstreamReply) UpstreamReply.text("You rolled three times.");
        }).orElse(null));
        proxy.upstream.always(UpstreamReply.text("no tools here"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void theOpenAiSdksStreamingToolLoopRunsThreeRounds() throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused")
                .maxRetries(0).build();
        try {
            ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("sonnet")
                    .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                            .name("roll_die").description("Rolls a die")
                            .parameters(FunctionParameters.builder()
                                    .putAdditionalProperty("type", JsonValue.from("object"))
                                    .putAdditionalProperty("properties", JsonValue.from(Map.of("sides",
                                            Map.of("type", "integer"))))
                                    .build())
                            .build()).build())
                    .addUserMessage("Roll a die three times.");
            long spawnedBefore = -1;

            for (int round = 1; round <= 4; round++) {
                ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
                try (var stream = client.chat().completions().createStreaming(params.build())) {
                    stream.stream().forEach(accumulator::accumulate);
                }
                ChatCompletion completion = accumulator.chatCompletion();
                ChatCompletion.Choice choice = completion.choices().get(0);
                if (round == 4) {
                    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
                    assertThat(choice.message().content()).contains("You rolled three times.");
                    break;
                }
                assertThat(choice.finishReason()).as("round %d", round)
                        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
                List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
                assertThat(calls).hasSize(1);
                ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
                assertThat(call.function().name()).isEqualTo("roll_die");
                assertThat(JSON.readTree(call.function().arguments()).path("sides").asInt()).isEqualTo(5 + round);
                params.addMessage(choice.message());
                params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                        .content(String.valueOf(round)).build());
                if (round == 1) {
                    spawnedBefore = proxy.stat("spawned");
                }
            }

            assertRoundsContinuedTheWaitingProcess(spawnedBefore);
        } finally {
            client.close();
        }
    }

    @Test
    void theAnthropicSdksStreamingToolLoopRunsThreeRounds() {
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(proxy.baseUrl()).apiKey("unused")
                .maxRetries(0).build();
        try {
            MessageCreateParams.Builder params = MessageCreateParams.builder().model("sonnet").maxTokens(1024)
                    .addTool(Tool.builder().name("roll_die").description("Rolls a die")
                            .inputSchema(Tool.InputSchema.builder().properties(com.anthropic.core.JsonValue.from(
                                    Map.of("sides", Map.of("type", "integer")))).build())
                            .build())
                    .addUserMessage("Roll a die three times.");
            long spawnedBefore = -1;

            for (int round = 1; round <= 4; round++) {
                MessageAccumulator accumulator = MessageAccumulator.create();
                try (var stream = client.messages().createStreaming(params.build())) {
                    stream.stream().forEach(accumulator::accumulate);
                }
                Message message = accumulator.message();
                if (round == 4) {
                    assertThat(message.stopReason()).contains(StopReason.END_TURN);
                    assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("You rolled three times.");
                    break;
                }
                assertThat(message.stopReason()).as("round %d", round).contains(StopReason.TOOL_USE);
                List<ToolUseBlock> uses = message.content().stream().flatMap(block -> block.toolUse().stream()).toList();
                assertThat(uses).hasSize(1);
                ToolUseBlock use = uses.get(0);
                assertThat(use.name()).isEqualTo("roll_die");
                Optional<Map<String, Object>> input = Optional.ofNullable(use._input().convert(Map.class));
                assertThat(input.orElseThrow()).containsEntry("sides", 5 + round);
                params.addMessage(message);
                params.addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam
                        .builder().toolUseId(use.id()).content(String.valueOf(round)).build())));
                if (round == 1) {
                    spawnedBefore = proxy.stat("spawned");
                }
            }

            assertRoundsContinuedTheWaitingProcess(spawnedBefore);
        } finally {
            client.close();
        }
    }

    private void assertRoundsContinuedTheWaitingProcess(long spawnedAfterFirstRound) {
        if (POOLED) {
            assertThat(proxy.stat("tool_rounds")).isEqualTo(3);
            assertThat(proxy.stat("spawned") - spawnedAfterFirstRound).as("beyond a spare topped up")
                    .isLessThanOrEqualTo(1);
        } else {
            assertThat(proxy.stat("spawned") - spawnedAfterFirstRound).as("a fresh process per round").isEqualTo(3);
        }
    }
}
