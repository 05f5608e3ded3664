package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.StructuredResponse;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.LiveProxy;
import dev.claudemaxapi.testing.UpstreamReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Responses API through the OpenAI Java SDK's {@code responses()} service, on the real CLI. */
class ResponsesEndToEndTest {
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the SDK's structured-output helper derives a schema from and parses into. */
    public static class City {
        public String name;
        public long population;
    }

    @TempDir
    Path scratch;
    LiveProxy proxy;
    OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(new UpstreamReply.Text("Hello from the Responses API", 4, 120, 9, Duration.ZERO));
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    /** A {@code lookup} tool the upstream calls with {@code {"q": "paris"}}, then answers {@code answer}. */
    private FunctionTool lookupToolAnswering(String answer) {
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "lookup").map(tool ->
                request.path("messages").toString().contains("tool_result") ? UpstreamReply.text(answer)
                        : (UpstreamReply) new UpstreamReply.ToolUse(tool, "{\"q\": \"paris\"}")).orElse(null));
        return FunctionTool.builder().name("lookup").strict(false)
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("q", Map.of("type", "string"))))
                        .build()).build();
    }

    private static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream()).flatMap(part -> part.outputText().stream())
                .map(part -> part.text()).reduce("", String::concat);
    }

    @Test
    void aWholeResponseCarriesTheTextTheUsageAndTheInstructionsAsTheSystemPrompt() {
        Response response = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .instructions("Be brief.").input("Say hi").build());

        assertThat(text(response)).isEqualTo("Hello from the Responses API");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.id()).startsWith("resp_");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(120);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(9);
        JsonNode upstream = proxy.upstream.requests().get(0).body();
        assertThat(upstream.path("system").toString()).contains("Be brief.");
        assertThat(FakeUpstream.lastUserText(upstream)).isEqualTo("Say hi");
    }

    @Test
    void aStreamedResponseIsTheNumberedEventSequenceTheSdksAccumulatorReads() throws Exception {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (var stream = client.responses().createStreaming(ResponseCreateParams.builder().model("sonnet")
                .input("Say hi").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        String raw = proxy.send("/v1/responses", "{\"model\":\"sonnet\",\"stream\":true,\"input\":\"Say hi\"}").body();

        assertThat(text(accumulator.response())).isEqualTo("Hello from the Responses API");
        assertThat(accumulator.response().usage().orElseThrow().outputTokens()).isEqualTo(9);
        List<String> types = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (String line : raw.split("\n")) {
            if (line.startsWith("event: ")) {
                types.add(line.substring(7));
            } else if (line.startsWith("data: ")) {
                JsonNode data = JSON.readTree(line.substring(6));
                numbers.add(data.path("sequence_number").asLong(-1));
                assertThat(data.path("type").asText()).isEqualTo(types.get(types.size() - 1));
            }
        }
        assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added");
        assertThat(types).contains("response.output_text.delta").endsWith("response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as("sequence_number of event %d", i).isEqualTo(i);
        }
    }

    @Test
    void aFunctionCallComesBackAsAnItemAndItsOutputContinuesTheWaitingProcess() {
        FunctionTool lookup = lookupToolAnswering("Found it.");
        List<ResponseInputItem> input = new ArrayList<>(List.of(ResponseInputItem.ofEasyInputMessage(
                EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("Look up Paris").build())));

        Response call = client.responses().create(ResponseCreateParams.builder().model("sonnet").addTool(lookup)
                .inputOfResponse(input).build());

        ResponseFunctionToolCall functionCall = call.output().get(0).asFunctionCall();
        assertThat(functionCall.name()).isEqualTo("lookup");
        assertThat(functionCall.arguments()).isEqualTo("{\"q\": \"paris\"}");
        input.add(ResponseInputItem.ofFunctionCall(functionCall));
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(functionCall.callId()).output("Paris, France").build()));
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (var stream = client.responses().createStreaming(ResponseCreateParams.builder().model("sonnet")
                .addTool(lookup).inputOfResponse(input).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertThat(text(accumulator.response())).isEqualTo("Found it.");
        assertThat(proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body().toString())
                .contains("Paris, France");
        if (POOLED) {
            assertThat(proxy.stat("tool_rounds")).isEqualTo(1);
        }
    }

    @Test
    void theSdksStructuredOutputHelperParsesTextFormatAnswers() {
        proxy.upstream.route(request -> request.path("tools").toString().contains("\"StructuredOutput\"")
                ? new UpstreamReply.ToolUse("StructuredOutput", "{\"name\": \"Paris\", \"population\": 2100000}")
                : null);

        StructuredResponse<City> response = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .input("The biggest city of France?").text(City.class).build());

        City city = response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream()).flatMap(part -> part.outputText().stream())
                .findFirst().orElseThrow();
        assertThat(city.name).isEqualTo("Paris");
        assertThat(city.population).isEqualTo(2_100_000);
    }

    @Test
    void anOutputCapThatIsHitMakesTheResponseIncomplete() {
        proxy.upstream.always(new UpstreamReply.MaxTokens("Once upon a"));

        Response response = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .input("A long story").maxOutputTokens(20).build());

        assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
        assertThat(response.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                .isEqualTo("max_output_tokens");
        assertThat(text(response)).isEqualTo("Once upon a");
        assertThat(proxy.upstream.requests().get(0).body().path("max_tokens").asLong()).isEqualTo(20);
    }

    @Test
    void previousResponseIdContinuesTheConversationThroughItsLiveProcess() {
        Response first = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .input("My name is Ada.").build());
        Response second = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .previousResponseId(first.id()).input("What is my name?").build());

        assertThat(text(second)).isEqualTo("Hello from the Responses API");
        assertThat(second.previousResponseId()).contains(first.id());
        JsonNode upstream = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body();
        assertThat(upstream.path("messages").toString()).contains("My name is Ada.")
                .contains("Hello from the Responses API");
        assertThat(FakeUpstream.lastUserText(upstream)).endsWith("What is my name?");
        if (POOLED) {
            // the history the chain rebuilt is what the first answer's process holds: it goes on, nothing is replayed
            assertThat(proxy.stat("live_reused")).isEqualTo(1);
        }
    }

    @Test
    void aChainSurvivesARestartOfTheServer() throws Exception {
        Response first = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .input("My name is Ada.").build());
        client.close();
        proxy.close();

        proxy = LiveProxy.start(scratch);
        proxy.upstream.always(new UpstreamReply.Text("Your name is Ada.", 4, 120, 9, Duration.ZERO));
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
        Response second = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .previousResponseId(first.id()).input("What is my name?").build());

        assertThat(text(second)).isEqualTo("Your name is Ada.");
        JsonNode upstream = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body();
        assertThat(upstream.path("messages").toString()).contains("My name is Ada.")
                .contains("Hello from the Responses API");
        assertThat(client.responses().retrieve(first.id()).id()).isEqualTo(first.id());
    }

    @Test
    void aStoredResponseIsRetrievedAndDeletedThroughTheSdk() {
        Response created = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .input("Say hi").build());

        Response retrieved = client.responses().retrieve(created.id());
        client.responses().delete(created.id());

        assertThat(text(retrieved)).isEqualTo("Hello from the Responses API");
        assertThat(retrieved.usage()).isEqualTo(created.usage());
        assertThatThrownBy(() -> client.responses().retrieve(created.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .previousResponseId(created.id()).input("Again").build())).isInstanceOf(BadRequestException.class)
                .hasMessageContaining(created.id());
        assertThatThrownBy(() -> client.responses().retrieve(client.responses().create(ResponseCreateParams
                .builder().model("sonnet").input("Say hi").store(false).build()).id()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aReasoningSummaryRequestBringsTheThinkingAsAReasoningItemWholeAndStreamed() {
        proxy.upstream.always(new UpstreamReply.ThinkingThenText("Let me think.", "Forty-two."));
        ResponseCreateParams asked = ResponseCreateParams.builder().model("sonnet").input("The answer?")
                .reasoning(Reasoning.builder().summary(Reasoning.Summary.AUTO).build()).build();

        Response whole = client.responses().create(asked);
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (var stream = client.responses().createStreaming(asked)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Response streamed = accumulator.response();

        for (Response response : List.of(whole, streamed)) {
            assertThat(response.output()).hasSize(2);
            assertThat(response.output().get(0).asReasoning().summary().get(0).text()).isEqualTo("Let me think.");
            assertThat(text(response)).isEqualTo("Forty-two.");
        }
        Response notAsked = client.responses().create(ResponseCreateParams.builder().model("sonnet")
                .input("The answer?").build());
        assertThat(notAsked.output()).hasSize(1);
        assertThat(text(notAsked)).isEqualTo("Forty-two.");
    }

    @Test
    void aFunctionCallOutputSentWithPreviousResponseIdContinuesTheWaitingProcess() {
        FunctionTool lookup = lookupToolAnswering("It is in France.");

        Response call = client.responses().create(ResponseCreateParams.builder().model("sonnet").addTool(lookup)
                .input("Where is Paris?").build());
        ResponseFunctionToolCall functionCall = call.output().get(0).asFunctionCall();
        Response answer = client.responses().create(ResponseCreateParams.builder().model("sonnet").addTool(lookup)
                .previousResponseId(call.id()).inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
                        ResponseInputItem.FunctionCallOutput.builder().callId(functionCall.callId())
                                .output("Paris, France").build()))).build());

        assertThat(text(answer)).isEqualTo("It is in France.");
        assertThat(proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body().toString())
                .contains("Paris, France");
        if (POOLED) {
            assertThat(proxy.stat("tool_rounds")).isEqualTo(1);
        }
    }
}
