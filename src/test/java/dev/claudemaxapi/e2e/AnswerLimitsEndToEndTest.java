package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.OutputConfig;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's limits on an answer, on the real CLI through the official SDKs: stop sequences found by the proxy in
 * the stream however the upstream cuts it, and the output cap passed to the CLI, whose own going-on after a
 * {@code max_tokens} stop never reaches the client.
 */
class AnswerLimitsEndToEndTest {
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;
    /** Eleven deltas of two characters: the sequence {@code \n\nHuman:} arrives in four pieces. */
    private static final String STORY = "Once upon a time.\n\nHuman: and then more";

    @TempDir
    Path scratch;
    LiveProxy proxy;
    OpenAIClient openai;
    AnthropicClient anthropic;

    @BeforeEach
    void start() throws Exception {
        // one process, so a cap set for one conversation must be undone for the next
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(60),
                POOLED ? PoolSettings.of(1, 0, PoolSettings.Recycling.REWIND) : LiveProxy.defaultPool());
        proxy.upstream.always(new UpstreamReply.Text(STORY, 20, 30, 12, Duration.ZERO));
        openai = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(proxy.baseUrl()).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
        proxy.close();
    }

    private ChatCompletionCreateParams.Builder chat(String question) {
        return ChatCompletionCreateParams.builder().model("sonnet").addUserMessage(question);
    }

    private MessageCreateParams.Builder messages(String question, long maxTokens) {
        return MessageCreateParams.builder().model("sonnet").maxTokens(maxTokens).addUserMessage(question);
    }

    @Test
    void anOpenAiStopSequenceSplitAcrossDeltasEndsTheAnswerBeforeIt() {
        ChatCompletion whole = openai.chat().completions().create(chat("Tell a story").stop("\n\nHuman:").build());
        ChatCompletionAccumulator streamed = ChatCompletionAccumulator.create();
        try (var stream = openai.chat().completions().createStreaming(
                chat("Tell it again").stopOfStrings(List.of("zzz", "\n\nHuman:")).build())) {
            stream.stream().forEach(streamed::accumulate);
        }

        for (ChatCompletion completion : List.of(whole, streamed.chatCompletion())) {
            assertThat(completion.choices().get(0).message().content()).contains("Once upon a time.");
            assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        }
        assertProcessStaysUsable();
    }

    @Test
    void anAnthropicStopSequenceIsNamedInTheAnswerWholeAndStreamed() {
        Message whole = anthropic.messages().create(messages("Tell a story", 500).addStopSequence("\n\nHuman:").build());
        MessageAccumulator streamed = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(
                messages("Tell it again", 500).addStopSequence("\n\nHuman:").build())) {
            stream.stream().forEach(streamed::accumulate);
        }

        for (Message message : List.of(whole, streamed.message())) {
            assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Once upon a time.");
            assertThat(message.stopReason()).contains(StopReason.STOP_SEQUENCE);
            assertThat(message.stopSequence()).contains("\n\nHuman:");
        }
        assertProcessStaysUsable();
    }

    @Test
    void theOutputCapReachesTheUpstreamAndAMaxTokensStopIsTheEndOfTheAnswer() {
        proxy.upstream.always(new UpstreamReply.MaxTokens("Once upon a"));

        Message capped = anthropic.messages().create(messages("Tell a long story", 64).build());
        ChatCompletion cappedChat = openai.chat().completions().create(chat("Another").maxCompletionTokens(32).build());

        assertThat(capped.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(capped.content().get(0).text().orElseThrow().text()).as("nothing of the CLI's going on")
                .isEqualTo("Once upon a");
        assertThat(capped.usage().outputTokens()).isEqualTo(64);
        assertThat(cappedChat.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(cappedChat.choices().get(0).message().content()).contains("Once upon a");
        List<Long> sentCaps = proxy.upstream.requests().stream()
                .map(request -> request.body().path("max_tokens").asLong()).toList();
        assertThat(sentCaps).contains(64L, 32L);

        proxy.upstream.always(UpstreamReply.text("Uncapped."));
        openai.chat().completions().create(chat("No cap this time").build());
        long lastCap = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body().path("max_tokens")
                .asLong();
        assertThat(lastCap).as("the cap of an earlier conversation does not carry over").isGreaterThan(64);
    }

    @Test
    void theRequestedEffortReachesTheUpstreamAndTheNextConversationGetsTheDefaultAgain() {
        proxy.upstream.always(UpstreamReply.text("Thought about it."));

        openai.chat().completions().create(chat("Think hard").reasoningEffort(ReasoningEffort.HIGH).build());
        anthropic.messages().create(messages("Think a little", 100)
                .outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.LOW).build()).build());
        openai.chat().completions().create(chat("As you like").build());

        assertThat(proxy.upstream.requests().stream()
                .map(request -> request.body().path("output_config").path("effort").asText()).toList())
                .containsExactly("high", "low", "medium");
    }

    /** The turn cut short was interrupted and its process recycled: the next conversation is answered. */
    private void assertProcessStaysUsable() {
        proxy.upstream.always(UpstreamReply.text("Still here."));
        Await.until(Duration.ofSeconds(10), "the cut turn's process is free", () -> proxy.busyProcesses() == 0);
        assertThat(openai.chat().completions().create(chat("Are you there?").build()).choices().get(0).message()
                .content()).contains("Still here.");
        if (POOLED) {
            assertThat(proxy.stat("spawned")).as("the one process served every answer").isEqualTo(1);
        }
        assertThat(FakeUpstream.lastUserText(proxy.upstream.requests().get(proxy.upstream.requests().size() - 1)
                .body())).isEqualTo("Are you there?");
    }
}
