package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRequestDecoderTest {

    private final ChatRequestDecoder decoder =
            new ChatRequestDecoder(Json.mapper(), new ModelCatalog(Map.of("gpt-4o", "sonnet")));

    private ChatRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    private ProxyException refusal(String body) {
        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> decode(body));
        assertThat(refused).as("expected a refusal of %s", body).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        return refused;
    }

    @Test
    void decodesASingleStringMessage() {
        ChatRequest request = decode("""
                {"model":"claude-sonnet-4","messages":[{"role":"user","content":"Hi there"}]}""");

        assertThat(request).isEqualTo(new ChatRequest(
                new Turn("sonnet", Optional.empty(), List.of(Message.user("Hi there"))),
                "claude-sonnet-4", false, false, ReasoningText.HIDDEN));
    }

    @Test
    void readsStopAsOneStringOrUpToFourAndTheOutputCapPreferringMaxCompletionTokens() {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

        assertThat(decode("{\"model\":\"sonnet\",\"stop\":\"END\"," + messages + "}").turn().options())
                .isEqualTo(new TurnOptions(List.of("END"), OptionalInt.empty()));
        assertThat(decode("{\"model\":\"sonnet\",\"stop\":[\"a\",\"\\n\\n\"],\"max_tokens\":50,"
                + messages + "}").turn().options()).isEqualTo(new TurnOptions(List.of("a", "\n\n"), OptionalInt.of(50)));
        assertThat(decode("{\"model\":\"sonnet\",\"max_tokens\":50,\"max_completion_tokens\":70,\"stop\":null,"
                + messages + "}").turn().options()).isEqualTo(new TurnOptions(List.of(), OptionalInt.of(70)));
    }

    @Test
    void refusesStopSequencesAndCapsTheApiWouldRefuse() {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

        assertThat(refusal("{\"model\":\"sonnet\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]," + messages + "}")
                .param()).contains("stop");
        assertThat(refusal("{\"model\":\"sonnet\",\"stop\":[\"\"]," + messages + "}").param()).contains("stop[0]");
        assertThat(refusal("{\"model\":\"sonnet\",\"stop\":7," + messages + "}").param()).contains("stop");
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":0," + messages + "}").param()).contains("max_tokens");
        assertThat(refusal("{\"model\":\"sonnet\",\"max_completion_tokens\":1.5," + messages + "}").param())
                .contains("max_completion_tokens");
    }

    @ParameterizedTest
    @CsvSource({"none, LOW", "minimal, LOW", "low, LOW", "medium, MEDIUM", "high, HIGH", "xhigh, MAX"})
    void mapsReasoningEffortOntoTheClisLevels(String level, Effort effort) {
        assertThat(decode("{\"model\":\"sonnet\",\"reasoning_effort\":\"" + level + "\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"x\"}]}").turn().options().effort()).contains(effort);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"reasoning_effort\":\"extreme\"|reasoning_effort",
        "\"response_format\":{\"type\":\"xml\"}|response_format.type",
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}|response_format.json_schema.schema",
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":1}}}|response_format.json_schema.schema.type",
        "\"logprobs\":true|logprobs",
        "\"top_logprobs\":3|logprobs",
        "\"logit_bias\":{\"50256\":-100}|logit_bias",
        "\"modalities\":[\"text\",\"audio\"]|modalities",
        "\"web_search_options\":{}|web_search_options",
    })
    void refusesWhatItCouldOnlyPretendToHonour(String field, String param) {
        assertThat(refusal("{\"model\":\"sonnet\"," + field + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"x\"}]}").param()).contains(param);
    }

    @Test
    void readsAResponseFormatAsTheOutputSchemaWithoutItsMetaSchema() {
        String messages = ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

        assertThat(decode("{\"model\":\"sonnet\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"p\",\"strict\":true,\"schema\":{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}}" + messages).turn().options()
                .outputSchema()).contains("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}");
        assertThat(decode("{\"model\":\"sonnet\",\"response_format\":{\"type\":\"json_object\"}" + messages)
                .turn().options().outputSchema()).contains("{\"type\":\"object\"}");
    }

    @Test
    void acceptsSamplingParametersItCannotSetAndATextResponseFormat() {
        ChatRequest request = decode("{\"model\":\"sonnet\",\"temperature\":0.2,\"top_p\":0.9,\"seed\":7,"
                + "\"presence_penalty\":0.5,\"frequency_penalty\":0.1,\"user\":\"u1\",\"logit_bias\":{},"
                + "\"logprobs\":false,\"response_format\":{\"type\":\"text\"},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}");

        assertThat(request.turn().options()).isEqualTo(TurnOptions.NONE);
    }

    @Test
    void resolvesOperatorAliasesButKeepsTheRequestedName() {
        ChatRequest request = decode("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}""");

        assertThat(request.turn().model()).isEqualTo("sonnet");
        assertThat(request.requestedModel()).isEqualTo("gpt-4o");
    }

    @Test
    void decodesArrayContentWithTextAndDataUrlImages() {
        ChatRequest request = decode("""
                {"model":"sonnet","messages":[{"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
                  {"type":"image_url","image_url":"data:image/jpeg;base64,/9j/4A=="}
                ]}]}""");

        assertThat(request.turn().messages()).containsExactly(new Message(Role.USER, List.of(
                new ContentBlock.Text("What is this?"),
                new ContentBlock.Image("image/png", "iVBORw0KGgo="),
                new ContentBlock.Image("image/jpeg", "/9j/4A=="))));
    }

    @Test
    void refusesImageUrlsThatAreNotDataUrlsNamingThePart() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user","content":[
                  {"type":"text","text":"look"},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}
                ]}]}""");

        assertThat(refused.param()).contains("messages[0].content[1].image_url.url");
        assertThat(refused.getMessage()).contains("base64 data URLs");
    }

    @Test
    void refusesUnknownContentPartTypes() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}""");

        assertThat(refused.param()).contains("messages[0].content[0].type");
        assertThat(refused.getMessage()).contains("'input_audio'");
    }

    @Test
    void joinsSystemAndDeveloperMessagesIntoTheSystemPrompt() {
        ChatRequest request = decode("""
                {"model":"sonnet","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"developer","content":[{"type":"text","text":"Answer in "},{"type":"text","text":"French."}]},
                  {"role":"user","content":"Hello"}
                ]}""");

        assertThat(request.turn().system()).contains("Be brief.\n\nAnswer in French.");
        assertThat(request.turn().messages()).containsExactly(Message.user("Hello"));
    }

    @Test
    void withoutSystemMessagesThereIsNoSystemPrompt() {
        assertThat(decode("""
                {"model":"sonnet","messages":[{"role":"user","content":"Hello"}]}""").turn().system()).isEmpty();
    }

    @Test
    void turnsAssistantToolCallsAndToolMessagesIntoToolBlocks() {
        ChatRequest request = decode("""
                {"model":"sonnet","messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18C and sunny"},
                  {"role":"user","content":"Thanks"}
                ]}""");

        assertThat(request.turn().messages()).containsExactly(
                Message.user("Weather in Paris?"),
                new Message(Role.ASSISTANT, List.of(
                        new ContentBlock.ToolUse("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                new Message(Role.USER, List.of(
                        new ContentBlock.ToolResult("call_1", List.of(new ContentBlock.Text("18C and sunny")), false),
                        new ContentBlock.Text("Thanks"))));
    }

    @Test
    void keepsAssistantTextBeforeItsToolCalls() {
        ChatRequest request = decode("""
                {"model":"sonnet","messages":[
                  {"role":"user","content":"Hi"},
                  {"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_2","type":"function",
                    "function":{"name":"lookup"}}]},
                  {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"done"}]}
                ]}""");

        assertThat(request.turn().messages().get(1)).isEqualTo(new Message(Role.ASSISTANT, List.of(
                new ContentBlock.Text("Checking."), new ContentBlock.ToolUse("call_2", "lookup", "{}"))));
        assertThat(request.turn().messages().get(2)).isEqualTo(new Message(Role.USER, List.of(
                new ContentBlock.ToolResult("call_2", List.of(new ContentBlock.Text("done")), false))));
    }

    @Test
    void mergesConsecutiveUserMessages() {
        ChatRequest request = decode("""
                {"model":"sonnet","messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]}""");

        assertThat(request.turn().messages()).containsExactly(new Message(Role.USER,
                List.of(new ContentBlock.Text("a"), new ContentBlock.Text("b"))));
    }

    @Test
    void readsTheStreamAndIncludeUsageFlags() {
        ChatRequest request = decode("""
                {"model":"sonnet","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"x"}]}""");

        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
    }

    @Test
    void streamsWithoutUsageUnlessAskedTo() {
        ChatRequest request = decode("""
                {"model":"sonnet","stream":true,"messages":[{"role":"user","content":"x"}]}""");

        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isFalse();
    }

    @Test
    void acceptsNOfOne() {
        assertThat(decode("""
                {"model":"sonnet","n":1,"messages":[{"role":"user","content":"x"}]}""").turn().messages()).hasSize(1);
    }

    @Test
    void refusesMoreThanOneChoice() {
        ProxyException refused = refusal("""
                {"model":"sonnet","n":2,"messages":[{"role":"user","content":"x"}]}""");

        assertThat(refused.param()).contains("n");
        assertThat(refused.getMessage()).isEqualTo("Only n=1 is supported.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"model\":\"sonnet\"}",
        "{\"model\":\"sonnet\",\"messages\":[]}",
        "{\"model\":\"sonnet\",\"messages\":\"hi\"}",
    })
    void refusesMissingOrEmptyMessages(String body) {
        ProxyException refused = refusal(body);

        assertThat(refused.param()).contains("messages");
        assertThat(refused.getMessage()).isEqualTo("'messages' must be a non-empty array.");
    }

    @Test
    void refusesAConversationOfOnlySystemMessages() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"system","content":"Be brief."}]}""");

        assertThat(refused.param()).contains("messages");
    }

    @Test
    void refusesAnUnknownRoleNamingItsIndex() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user","content":"a"},{"role":"robot","content":"b"}]}""");

        assertThat(refused.param()).contains("messages[1].role");
        assertThat(refused.getMessage()).contains("'robot'");
    }

    @Test
    void refusesAUserMessageWithoutContent() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user"}]}""");

        assertThat(refused.param()).contains("messages[0].content");
    }

    /** OpenAI answers "Invalid 'messages[0].content': empty array" with a 400; an empty turn must not reach the CLI. */
    @Test
    void refusesAUserMessageWithAnEmptyContentArray() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user","content":[]}]}""");

        assertThat(refused.param()).contains("messages[0].content");
    }

    @Test
    void refusesAMissingModel() {
        ProxyException refused = refusal("""
                {"messages":[{"role":"user","content":"x"}]}""");

        assertThat(refused.param()).contains("model");
    }

    @Test
    void refusesAnUnknownModel() {
        ProxyException refused = refusal("""
                {"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"x"}]}""");

        assertThat(refused.param()).contains("model");
        assertThat(refused.getMessage()).contains("'gpt-3.5-turbo'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\":", "not json", "[1,2]", ""})
    void refusesABodyThatIsNotAJsonObject(String body) {
        ProxyException refused = refusal(body);

        assertThat(refused.param()).isEmpty();
        assertThat(refused.getMessage()).containsAnyOf("not valid JSON", "must be a JSON object");
    }

    @Test
    void refusesToolCallsThatAreNotAnArray() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user","content":"Hi"},
                  {"role":"assistant","content":null,"tool_calls":{"x":1}},
                  {"role":"user","content":"go on"}]}""");

        assertThat(refused.param()).hasValue("messages[1].tool_calls");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"sonnet\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "{\"model\":\"sonnet\",\"stream_options\":[1],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "{\"model\":\"sonnet\",\"n\":\"one\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":7,\"content\":\"Hi\"}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":[\"Hi\"]}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":[]}]},"
                    + "{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
                    + "\"tool_calls\":[5]},{\"role\":\"user\",\"content\":\"go\"}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
                    + "\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":1}}]},{\"role\":\"user\",\"content\":\"go\"}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
                    + "\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":{}}}]},"
                    + "{\"role\":\"user\",\"content\":\"go\"}]}",
            "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":3,\"content\":\"r\"}]}"})
    void refusesFieldsOfTheWrongTypeWithA400(String body) {
        refusal(body);
    }

    @Test
    void readsToolsWithTheirSchemasAsWrittenAndTheToolChoice() {
        ChatRequest request = decode("""
                {"model":"sonnet","messages":[{"role":"user","content":"hi"}],"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"get.weather","description":"Weather",
                   "parameters":{"type":"object","properties":{"b":{},"a":{}}},"strict":true}},
                   {"type":"function","function":{"name":"now"}}],
                 "tool_choice":{"type":"function","function":{"name":"now"}}}""");

        dev.claudemaxapi.core.Tools tools = request.turn().tools();
        assertThat(tools.offered()).containsExactly(
                new dev.claudemaxapi.core.Tool("get.weather", java.util.Optional.of("Weather"),
                        "{\"type\":\"object\",\"properties\":{\"b\":{},\"a\":{}}}"),
                new dev.claudemaxapi.core.Tool("now", java.util.Optional.empty(),
                        "{\"type\":\"object\",\"properties\":{}}"));
        assertThat(tools.choice()).isEqualTo(new dev.claudemaxapi.core.ToolChoice.Named("now"));
        assertThat(tools.parallel()).isEqualTo(dev.claudemaxapi.core.Tools.Parallel.ONE_AT_A_TIME);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "\"tools\":[{\"type\":\"web_search\"}]|tools[0].type",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a b\"}}]|tools[0].function.name",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},{\"type\":\"function\",\"function\":{\"name\":\"a\"}}]|tools",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],\"tool_choice\":\"sometimes\"|tool_choice",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}|tool_choice.function.name",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"parameters\":[]}}]|tools[0].function.parameters"
    })
    void refusesMalformedToolsNamingTheField(String fields, String param) {
        assertThat(refusal("{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + fields + "}").param()).contains(param);
    }

    @Test
    void includeReasoningAsksForTheThinking() {
        assertThat(decode("""
                {"model":"sonnet","include_reasoning":true,"messages":[{"role":"user","content":"Hi"}]}""")
                .reasoning()).isEqualTo(ReasoningText.SHOWN);
        assertThat(decode("""
                {"model":"sonnet","messages":[{"role":"user","content":"Hi"}]}""").reasoning())
                .isEqualTo(ReasoningText.HIDDEN);
    }
}
