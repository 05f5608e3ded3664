package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The legacy completions API through the OpenAI Java SDK's {@code completions()} service, on the real CLI. */
class TextCompletionsEndToEndTest {
    @TempDir
    Path scratch;
    LiveProxy proxy;
    OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(new UpstreamReply.Text("\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\ndef",
                12, 40, 20, Duration.ZERO));
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    private static CompletionCreateParams.Builder params() {
        return CompletionCreateParams.builder().model("sonnet").prompt("def fib(n):").maxTokens(64).stop("\n\n");
    }

    @Test
    void aWholeCompletionContinuesThePromptUpToTheStopSequence() {
        Completion completion = client.completions().create(params().build());

        CompletionChoice choice = completion.choices().get(0);
        assertThat(choice.text()).isEqualTo("\n    return n if n < 2 else fib(n - 1) + fib(n - 2)");
        assertThat(choice.finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(40);
        JsonNode upstream = proxy.upstream.requests().get(0).body();
        assertThat(FakeUpstream.lastUserText(upstream)).isEqualTo("def fib(n):");
        assertThat(upstream.path("system").toString()).contains("reply with only its continuation");
        assertThat(upstream.path("max_tokens").asLong()).isEqualTo(64);
    }

    @Test
    void aStreamedCompletionArrivesInTextCompletionChunksEndingWithUsage() {
        List<Completion> chunks = new ArrayList<>();
        try (var stream = client.completions().createStreaming(params()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> text.append(choice.text())));
        assertThat(text.toString()).isEqualTo("\n    return n if n < 2 else fib(n - 1) + fib(n - 2)");
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason())
                .isEqualTo(CompletionChoice.FinishReason.STOP);
        assertThat(chunks.get(chunks.size() - 1).choices()).isEmpty();
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().promptTokens()).isEqualTo(40);
    }

    @Test
    void withoutACapTheApisDefaultOfSixteenTokensReachesTheUpstream() {
        client.completions().create(CompletionCreateParams.builder().model("sonnet").prompt("Once upon").build());

        assertThat(proxy.upstream.requests().get(0).body().path("max_tokens").asLong()).isEqualTo(16);
    }
}
