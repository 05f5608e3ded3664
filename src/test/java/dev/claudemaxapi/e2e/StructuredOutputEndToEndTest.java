package dev.claudemaxapi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletion;
import dev.claudemaxapi.engine.pool.PoolSettings;
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

/**
 * Structured output on the real CLI: the response schema goes to the CLI in its first {@code initialize}, the model
 * answers through the CLI's {@code StructuredOutput} tool, and the validated JSON is the answer, which the OpenAI
 * SDK's own structured-output helper parses into a typed object.
 */
class StructuredOutputEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean POOLED = LiveProxy.defaultPool().size() > 0;

    /** What the OpenAI SDK derives a schema from and parses the answer into. */
    public static class Person {
        public String name;
        public long age;
    }

    @TempDir
    Path scratch;
    LiveProxy proxy;
    OpenAIClient client;

    @BeforeEach
    void start() throws Exception {
        // one process, so a process bound to a schema would show if it served another conversation
        proxy = LiveProxy.start(scratch, 4, Duration.ofSeconds(60),
                POOLED ? PoolSettings.of(1, 0, PoolSettings.Recycling.REWIND) : LiveProxy.defaultPool());
        proxy.upstream.route(request -> FakeUpstream.offeredTool(request, "StructuredOutput").or(() ->
                        request.path("tools").toString().contains("\"StructuredOutput\"")
                                ? java.util.Optional.of("StructuredOutput") : java.util.Optional.empty())
                .map(tool -> request.path("messages").toString().contains("tool_result")
                        ? UpstreamReply.text("Done.")
                        : (UpstreamReply) new UpstreamReply.ToolUse(tool, "{\"name\": \"Ada\", \"age\": 36}"))
                .orElse(null));
        proxy.upstream.always(UpstreamReply.text("Plain answer."));
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    @Test
    void theOpenAiSdksStructuredOutputHelperParsesTheAnswerIntoItsClass() {
        StructuredChatCompletion<Person> completion = client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("sonnet").addUserMessage("Who wrote the first program?")
                        .responseFormat(Person.class).build());

        Person person = completion.choices().get(0).message().content().orElseThrow();
        assertThat(person.name).isEqualTo("Ada");
        assertThat(person.age).isEqualTo(36);
        JsonNode upstream = proxy.upstream.requests().get(0).body();
        List<String> tools = new ArrayList<>();
        upstream.path("tools").forEach(tool -> tools.add(tool.path("name").asText()));
        assertThat(tools).as("the CLI's own tool for the schema, and no other").containsExactly("StructuredOutput");
        assertThat(upstream.path("tools").get(0).path("input_schema").path("properties").has("age")).isTrue();
    }

    @Test
    void anAnthropicOutputFormatGivesTheJsonAsTheAnswersText() throws Exception {
        JsonNode answer = proxy.post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":200,\"output_config\":"
                + "{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"name\":"
                + "{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"]}}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Who?\"}]}");

        assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(answer.path("content")).hasSize(1);
        assertThat(JSON.readTree(answer.path("content").get(0).path("text").asText()))
                .isEqualTo(JSON.readTree("{\"name\":\"Ada\",\"age\":36}"));
    }

    @Test
    void aProcessStartedForASchemaServesNoOtherConversation() throws Exception {
        client.chat().completions().create(ChatCompletionCreateParams.builder().model("sonnet")
                .addUserMessage("Who?").responseFormat(Person.class).build());

        JsonNode plain = proxy.post("/v1/chat/completions", "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hello\"}]}");

        assertThat(plain.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Plain answer.");
        JsonNode upstream = proxy.upstream.requests().get(proxy.upstream.requests().size() - 1).body();
        assertThat(upstream.path("tools").toString()).doesNotContain("StructuredOutput");
        if (POOLED) {
            assertThat(proxy.stat("spawned")).as("a process of its own for the plain conversation").isEqualTo(2);
        }
    }

    @Test
    void aSchemaThatIsNotAnObjectIsA400() throws Exception {
        assertThat(proxy.send("/v1/chat/completions", "{\"model\":\"sonnet\",\"response_format\":{\"type\":"
                + "\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":[1]}},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}").statusCode()).isEqualTo(400);
        assertThat(proxy.upstream.requests()).isEmpty();
    }
}
