package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK against the server running the real pinned CLI. */
class OpenAiSdkEndToEndTest {
    static final String PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    @TempDir
    Path scratch;
    LiveProxy proxy;
    OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    @Test
    void answersWithTheUpstreamTextAndItsRealUsage() {
        proxy.upstream.always(new UpstreamReply.Text("Real answer from upstream", 3, 1234, 56, Duration.ZERO));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sonnet").addUserMessage("Say hi").build());

        assertThat(completion.choices().get(0).message().content()).contains("Real answer from upstream");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("claude-sonnet-5-5");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(1234);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(56);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(1290);
    }

    @Test
    void streamsOneChunkPerUpstreamDeltaWithRoleFirstAndUsageLast() {
        proxy.upstream.always(new UpstreamReply.Text("one two three four", 4, 100, 9, Duration.ZERO));
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("sonnet").addUserMessage("count")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        List<String> texts = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().content().stream()).filter(t -> !t.isEmpty()).toList();
        assertThat(texts).hasSize(4);
        assertThat(String.join("", texts)).isEqualTo("one two three four");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(100);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(9);
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void passesTheSystemPromptAndImagesToTheUpstream() throws Exception {
        proxy.upstream.always(UpstreamReply.text("I see a pixel"));
        ChatCompletionContentPart image = ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64," + PNG_1X1)
                        .build()).build());
        ChatCompletionContentPart text = ChatCompletionContentPart.ofText(
                ChatCompletionContentPartText.builder().text("What is this?").build());

        client.chat().completions().create(ChatCompletionCreateParams.builder().model("sonnet")
                .addSystemMessage("You are a pixel inspector.")
                .addUserMessageOfArrayOfContentParts(List.of(image, text)).build());

        FakeUpstream.Captured request = proxy.upstream.awaitRequest(Duration.ofSeconds(5));
        JsonNode system = request.body().path("system");
        assertThat(system.get(system.size() - 1).path("text").asText()).isEqualTo("You are a pixel inspector.");
        JsonNode content = request.body().path("messages").get(0).path("content");
        assertThat(content.get(0).path("type").asText()).isEqualTo("image");
        assertThat(content.get(0).path("source").path("data").asText()).isEqualTo(PNG_1X1);
        assertThat(content.get(0).path("source").path("media_type").asText()).isEqualTo("image/png");
        assertThat(content.get(1).path("text").asText()).isEqualTo("What is this?");
    }

    @Test
    void aClientsSlashTextReachesTheModelInsteadOfRunningACliCommand() throws Exception {
        proxy.upstream.always(new UpstreamReply.Echo());

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sonnet").addUserMessage("/config theme=dark").build());

        assertThat(completion.choices().get(0).message().content()).contains(" /config theme=dark");
        assertThat(proxy.upstream.awaitRequest(Duration.ofSeconds(5)).body().toString()).contains("/config theme=dark");
    }

    @Test
    void listsModels() {
        List<Model> models = client.models().list().data();

        assertThat(models).extracting(Model::id).contains("sonnet", "opus", "claude-sonnet-5-5");
    }

    @Test
    void reportsALostLoginAs401() {
        proxy.upstream.always(new UpstreamReply.Error(401, "authentication_error", "token expired", null));

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sonnet").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("token expired");
                });
    }

    @Test
    void reportsAPlanLimitAs429() {
        proxy.upstream.always(new UpstreamReply.Error(429, "rate_limit_error", "limit reached", 3));

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sonnet").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
    }

    @Test
    void reportsAnUpstreamServerErrorAs502() {
        proxy.upstream.always(new UpstreamReply.Error(500, "api_error", "kaput", null));

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sonnet").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("500 kaput");
                });
    }

    @Test
    void refusesAnUnknownModelWithoutStartingTheCli() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("gpt-4o").contains("sonnet");
                });
        assertThat(proxy.upstream.requests()).isEmpty();
    }

    @Test
    void reportsAFailureAfterTheStreamStartedInBand() {
        proxy.upstream.always(new UpstreamReply.StreamError("partial answer"));
        proxy.upstream.enqueue(new UpstreamReply.Truncated("Hello world"), UpstreamReply.text("Goodbye world"));
        List<String> texts = new ArrayList<>();

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model("sonnet").addUserMessage("hi").build())) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(texts::add)));
            }
        }).isInstanceOf(com.openai.errors.OpenAIException.class);
        assertThat(String.join("", texts)).isEqualTo("Hell");
    }

    @Test
    void servesParallelRequestsEachWithItsOwnAnswer() throws Exception {
        proxy.upstream.always(new UpstreamReply.Echo());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String prompt = "question number " + i;
                Callable<String> call = () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("haiku").addUserMessage(prompt).build()).choices().get(0).message().content().orElse("");
                answers.add(pool.submit(call));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(answers.get(i).get()).isEqualTo("question number " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void includeReasoningBringsTheThinkingAsReasoningContentWholeAndStreamed() {
        proxy.upstream.always(new UpstreamReply.ThinkingThenText("Let me think.", "Forty-two."));
        ChatCompletionCreateParams asked = ChatCompletionCreateParams.builder().model("sonnet")
                .addUserMessage("The answer?").putAdditionalBodyProperty("include_reasoning", JsonValue.from(true))
                .build();

        ChatCompletion whole = client.chat().completions().create(asked);
        StringBuilder streamed = new StringBuilder();
        StringBuilder streamedText = new StringBuilder();
        try (var stream = client.chat().completions().createStreaming(asked)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> {
                choice.delta().content().ifPresent(streamedText::append);
                JsonValue reasoning = choice.delta()._additionalProperties().get("reasoning_content");
                if (reasoning != null) {
                    streamed.append(reasoning.asStringOrThrow());
                }
            }));
        }
        ChatCompletion notAsked = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sonnet").addUserMessage("The answer?").build());

        assertThat(whole.choices().get(0).message().content()).contains("Forty-two.");
        assertThat(whole.choices().get(0).message()._additionalProperties().get("reasoning_content")
                .asStringOrThrow()).isEqualTo("Let me think.");
        assertThat(streamed.toString()).isEqualTo("Let me think.");
        assertThat(streamedText.toString()).isEqualTo("Forty-two.");
        assertThat(notAsked.choices().get(0).message()._additionalProperties()).doesNotContainKey("reasoning_content");
    }
}
