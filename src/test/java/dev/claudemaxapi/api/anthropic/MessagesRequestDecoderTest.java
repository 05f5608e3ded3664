package dev.claudemaxapi.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder.Endpoint;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.ThinkingBudget;
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

class MessagesRequestDecoderTest {

    private final MessagesRequestDecoder decoder = new MessagesRequestDecoder(Json.mapper(), new ModelCatalog(Map.of()));

    private MessagesRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8), Endpoint.MESSAGES);
    }

    private ProxyException refusal(String body, Endpoint endpoint) {
        ProxyException refused = catchThrowableOfType(ProxyException.class,
                () -> decoder.decode(body.getBytes(StandardCharsets.UTF_8), endpoint));
        assertThat(refused).as("expected a refusal of %s", body).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        return refused;
    }

    private ProxyException refusal(String body) {
        return refusal(body, Endpoint.MESSAGES);
    }

    /** A request around one user message with the given content JSON. */
    private static String withUserContent(String content) {
        return "{\"model\":\"sonnet\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}";
    }

    @Test
    void readsTheEffortOfOutputConfig() {
        assertThat(decode("{\"model\":\"sonnet\",\"max_tokens\":3,\"output_config\":{\"effort\":\"high\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").turn().options().effort())
                .contains(Effort.HIGH);
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":3,\"output_config\":{\"effort\":\"extreme\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").param()).contains("output_config.effort");
    }

    @Test
    void readsTheOutputFormatAsTheOutputSchema() {
        String rest = ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

        assertThat(decode("{\"model\":\"sonnet\",\"max_tokens\":3,\"output_config\":{\"format\":{\"type\":"
                + "\"json_schema\",\"schema\":{\"type\":\"object\"}}}" + rest).turn().options().outputSchema())
                .contains("{\"type\":\"object\"}");
        assertThat(decode("{\"model\":\"sonnet\",\"max_tokens\":3,\"output_format\":{\"type\":\"json_schema\","
                + "\"schema\":{\"type\":\"array\"}}" + rest).turn().options().outputSchema()).contains("{\"type\":\"array\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":[]}}",
        "\"output_format\":{\"type\":\"text\",\"schema\":{}}",
        "\"mcp_servers\":[{\"type\":\"url\",\"url\":\"https://example.com\",\"name\":\"x\"}]",
        "\"container\":\"container_1\""})
    void refusesWhatItCouldOnlyPretendToHonour(String field) {
        refusal("{\"model\":\"sonnet\",\"max_tokens\":3," + field
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    }

    @Test
    void acceptsSamplingAndMetadataItCannotSet() {
        MessagesRequest request = decode("{\"model\":\"sonnet\",\"max_tokens\":3000,\"temperature\":0,\"top_p\":0.5,"
                + "\"top_k\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"metadata\":"
                + "{\"user_id\":\"u\"},\"service_tier\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(request.turn().options()).isEqualTo(new TurnOptions(List.of(), OptionalInt.of(3000))
                .withThinking(new ThinkingBudget.Tokens(2048)));
    }

    @Test
    void readsStopSequencesAndTakesMaxTokensAsTheOutputCap() {
        MessagesRequest request = decode("{\"model\":\"sonnet\",\"max_tokens\":300,\"stop_sequences\":[\"\\n\\nHuman:\","
                + "\"END\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(request.turn().options()).isEqualTo(new TurnOptions(List.of("\n\nHuman:", "END"), OptionalInt.of(300)));
    }

    @Test
    void refusesStopSequencesThatAreNotAListOfNonEmptyStrings() {
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":3,\"stop_sequences\":\"END\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").param()).contains("stop_sequences");
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":3,\"stop_sequences\":[\"\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").param()).contains("stop_sequences[0]");
    }

    @Test
    void decodesASimpleRequest() {
        MessagesRequest request = decode("""
                {"model":"claude-sonnet-4-20250514","max_tokens":1024,
                 "messages":[{"role":"user","content":"Hello"}]}""");

        assertThat(request).isEqualTo(new MessagesRequest(
                new Turn("sonnet", Optional.empty(), List.of(Message.user("Hello")))
                        .withOptions(new TurnOptions(List.of(), OptionalInt.of(1024))),
                "claude-sonnet-4-20250514", false, ThinkingBlocks.HIDDEN));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"enabled\",\"budget_tokens\":2048}|Tokens[tokens=2048]|SHOWN",
        "{\"type\":\"adaptive\"}|CliDefault[]|SHOWN",
        "{\"type\":\"disabled\"}|Off[]|HIDDEN",
    })
    void thinkingSetsTheBudgetAndWhetherThinkingBlocksComeBack(String thinking, String budget, String blocks) {
        MessagesRequest request = decode("{\"model\":\"sonnet\",\"max_tokens\":4096,\"thinking\":" + thinking
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(request.turn().options().thinking().toString()).isEqualTo(budget);
        assertThat(request.thinkingBlocks()).isEqualTo(ThinkingBlocks.valueOf(blocks));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"enabled\",\"budget_tokens\":512}|thinking.budget_tokens",
        "{\"type\":\"enabled\",\"budget_tokens\":4096}|thinking.budget_tokens",
        "{\"type\":\"enabled\"}|thinking.budget_tokens",
        "{\"type\":\"always\"}|thinking.type",
        "true|thinking",
    })
    void refusesAThinkingSettingTheApiWouldRefuse(String thinking, String param) {
        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> decode("{\"model\":\"sonnet\","
                + "\"max_tokens\":4096,\"thinking\":" + thinking + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

        assertThat(refused).isNotNull();
        assertThat(refused.param()).contains(param);
    }

    @Test
    void readsTheStreamFlag() {
        assertThat(decode("""
                {"model":"sonnet","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"x"}]}""")
                .stream()).isTrue();
    }

    @Test
    void readsASystemString() {
        assertThat(decode("""
                {"model":"sonnet","max_tokens":1,"system":"Be brief.","messages":[{"role":"user","content":"x"}]}""")
                .turn().system()).contains("Be brief.");
    }

    @Test
    void joinsSystemTextBlocks() {
        assertThat(decode("""
                {"model":"sonnet","max_tokens":1,"messages":[{"role":"user","content":"x"}],
                 "system":[{"type":"text","text":"Be brief."},
                           {"type":"text","text":"Use French.","cache_control":{"type":"ephemeral"}}]}""")
                .turn().system()).contains("Be brief.\n\nUse French.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "[]", "null"})
    void anEmptySystemIsNoSystem(String system) {
        assertThat(decode("{\"model\":\"sonnet\",\"max_tokens\":1,\"system\":" + system
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").turn().system()).isEmpty();
    }

    @Test
    void refusesANonTextSystemBlock() {
        ProxyException refused = refusal("""
                {"model":"sonnet","max_tokens":1,"messages":[{"role":"user","content":"x"}],
                 "system":[{"type":"text","text":"ok"},{"type":"image"}]}""");

        assertThat(refused.param()).contains("system.1");
    }

    @Test
    void decodesBase64ImagesAndText() {
        MessagesRequest request = decode(withUserContent("""
                [{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                 {"type":"text","text":"What is this?"}]"""));

        assertThat(request.turn().messages()).containsExactly(new Message(Role.USER, List.of(
                new ContentBlock.Image("image/png", "iVBORw0KGgo="), new ContentBlock.Text("What is this?"))));
    }

    @Test
    void refusesUrlImageSourcesNamingTheSourceType() {
        ProxyException refused = refusal(withUserContent("""
                [{"type":"text","text":"look"},
                 {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}}]"""));

        assertThat(refused.param()).contains("messages.0.content.1.source.type");
        assertThat(refused.getMessage()).contains("'url'");
    }

    @Test
    void refusesUnsupportedImageMediaTypes() {
        ProxyException refused = refusal(withUserContent("""
                [{"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"SUkq"}}]"""));

        assertThat(refused.param()).contains("messages.0.content.0.source");
    }

    @Test
    void requiresMaxTokensForMessages() {
        ProxyException refused = refusal("""
                {"model":"sonnet","messages":[{"role":"user","content":"x"}]}""");

        assertThat(refused.param()).contains("max_tokens");
        assertThat(refused.getMessage()).isEqualTo("max_tokens: Field required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "\"100\"", "true", "99999999999"})
    void refusesMaxTokensThatIsNotAPositiveInteger(String maxTokens) {
        ProxyException refused = refusal("{\"model\":\"sonnet\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(refused.param()).contains("max_tokens");
    }

    @Test
    void countTokensNeedsNoMaxTokens() {
        MessagesRequest request = decoder.decode("""
                {"model":"sonnet","messages":[{"role":"user","content":"x"}]}""".getBytes(StandardCharsets.UTF_8),
                Endpoint.COUNT_TOKENS);

        assertThat(request.turn().messages()).containsExactly(Message.user("x"));
    }

    @Test
    void requiresTheFirstMessageToBeFromTheUser() {
        ProxyException refused = refusal("""
                {"model":"sonnet","max_tokens":1,"messages":[{"role":"assistant","content":"Hi"},
                                                             {"role":"user","content":"x"}]}""");

        assertThat(refused.param()).contains("messages");
        assertThat(refused.getMessage()).contains("first message must use the \"user\" role");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tool", "developer", ""})
    void refusesRolesOtherThanUserAssistantAndSystem(String role) {
        ProxyException refused = refusal("""
                {"model":"sonnet","max_tokens":1,"messages":[{"role":"user","content":"x"},
                                                             {"role":"%s","content":"y"}]}""".formatted(role));

        assertThat(refused.param()).contains("messages.1.role");
        assertThat(refused.getMessage()).isEqualTo("messages.1.role: Input should be 'user' or 'assistant'");
    }

    @Test
    void refusesMissingMessages() {
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":1}").param()).contains("messages");
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":1,\"messages\":[]}").param()).contains("messages");
    }

    @Test
    void refusesAMessageWithoutContent() {
        assertThat(refusal("{\"model\":\"sonnet\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\"}]}").param())
                .contains("messages.0.content");
    }

    /** The Messages API refuses empty content except on a final assistant message; the CLI must not get an empty turn. */
    @Test
    void refusesAUserMessageWithAnEmptyContentArray() {
        ProxyException refused = refusal(withUserContent("[]"));

        assertThat(refused.param()).contains("messages.0.content");
    }

    @Test
    void acceptsAnEmptyFinalAssistantMessage() {
        MessagesRequest request = decode("""
                {"model":"sonnet","max_tokens":1,"messages":[{"role":"user","content":"x"},
                                                             {"role":"assistant","content":[]}]}""");

        assertThat(request.turn().messages()).hasSize(2);
    }

    @Test
    void refusesAMissingOrUnknownModel() {
        assertThat(refusal("{\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").param())
                .contains("model");
        assertThat(refusal("{\"model\":\"gpt-4o\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .param()).contains("model");
    }

    @Test
    void decodesToolUseAndToolResultBlocks() {
        MessagesRequest request = decode("""
                {"model":"sonnet","max_tokens":100,"messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":[
                    {"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                    {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":[
                      {"type":"text","text":"failed"},
                      {"type":"image","source":{"type":"base64","media_type":"image/gif","data":"R0lG"}}]},
                    {"type":"tool_result","tool_use_id":"toolu_3"}]}
                ]}""");

        assertThat(request.turn().messages()).containsExactly(
                Message.user("Weather in Paris?"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.Text("Checking."),
                        new ContentBlock.ToolUse("toolu_1", "get_weather", "{\"city\":\"Paris\"}"))),
                new Message(Role.USER, List.of(
                        new ContentBlock.ToolResult("toolu_1", List.of(new ContentBlock.Text("18C")), false),
                        new ContentBlock.ToolResult("toolu_2", List.of(new ContentBlock.Text("failed"),
                                new ContentBlock.Image("image/gif", "R0lG")), true),
                        new ContentBlock.ToolResult("toolu_3", List.of(), false))));
    }

    @Test
    void dropsThinkingBlocksFromHistory() {
        MessagesRequest request = decode("""
                {"model":"sonnet","max_tokens":100,"messages":[
                  {"role":"user","content":"2+2?"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"simple","signature":"sig"},
                    {"type":"redacted_thinking","data":"abc"},
                    {"type":"text","text":"4"}]},
                  {"role":"user","content":"Sure?"}
                ]}""");

        assertThat(request.turn().messages().get(1)).isEqualTo(Message.assistant("4"));
    }

    @Test
    void refusesUnknownBlockTypesNamingTheBlock() {
        ProxyException refused = refusal(withUserContent("""
                [{"type":"text","text":"a"},{"type":"document","source":{}}]"""));

        assertThat(refused.param()).contains("messages.0.content.1.type");
        assertThat(refused.getMessage()).contains("'document'");
    }

    @Test
    void refusesATextBlockWithoutText() {
        assertThat(refusal(withUserContent("[{\"type\":\"text\"}]")).param()).contains("messages.0.content.0.text");
    }

    @Test
    void mergesConsecutiveMessagesOfOneRole() {
        MessagesRequest request = decode("""
                {"model":"sonnet","max_tokens":1,"messages":[{"role":"user","content":"a"},
                                                             {"role":"user","content":"b"}]}""");

        assertThat(request.turn().messages()).containsExactly(new Message(Role.USER,
                List.of(new ContentBlock.Text("a"), new ContentBlock.Text("b"))));
    }

    @Test
    void refusesBodiesThatAreNotJsonObjects() {
        assertThat(refusal("{").getMessage()).startsWith("The request body is not valid JSON");
        assertThat(refusal("[]").getMessage()).isEqualTo("The request body must be a JSON object.");
    }

    @Test
    void refusesAToolUseBlockInAUserMessage() {
        ProxyException refused = refusal(withUserContent("""
                [{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]"""));

        assertThat(refused.param()).hasValue("messages.0.content.0.type");
        assertThat(refused.getMessage()).contains("assistant");
    }

    @Test
    void refusesAToolResultBlockInAnAssistantMessage() {
        refusal("""
                {"model":"sonnet","max_tokens":100,"messages":[{"role":"user","content":"Hi"},
                  {"role":"assistant","content":[{"type":"tool_result","tool_use_id":"t","content":"x"}]},
                  {"role":"user","content":"go on"}]}""");
    }

    @Test
    void refusesAUserMessageOfOnlyThinkingBlocks() {
        ProxyException refused = refusal(withUserContent("""
                [{"type":"thinking","thinking":"hmm","signature":"s"}]"""));

        assertThat(refused.param()).hasValue("messages.0.content");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"stream\":1,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[\"Hi\"]}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                    + "\"source\":\"data\"}]}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                    + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":7}}]}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\","
                    + "\"input\":\"{}\"}]},{\"role\":\"user\",\"content\":\"go\"}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                    + "\"tool_use_id\":\"t\",\"content\":5}]}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                    + "\"tool_use_id\":\"t\",\"is_error\":\"no\"}]}]}",
            "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                    + "\"tool_use_id\":\"t\",\"content\":[{\"type\":\"tool_use\",\"id\":\"x\",\"name\":\"f\",\"input\":{}}]}]}]}"})
    void refusesFieldsOfTheWrongTypeWithA400(String body) {
        refusal(body);
    }

    @Test
    void readsClientToolsAndTheToolChoice() {
        MessagesRequest request = decode("""
                {"model":"sonnet","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"name":"get-weather","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true}}""");

        assertThat(request.turn().tools()).isEqualTo(new dev.claudemaxapi.core.Tools(
                List.of(new dev.claudemaxapi.core.Tool("get-weather", Optional.empty(), "{\"type\":\"object\"}")),
                new dev.claudemaxapi.core.ToolChoice.Any(), dev.claudemaxapi.core.Tools.Parallel.ONE_AT_A_TIME));
    }

    @Test
    void refusesAServerToolOfTheRealApiAndAToolChoiceOfAnUnknownTool() {
        assertThat(refusal("""
                {"model":"sonnet","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"type":"web_search_20250305","name":"web_search"}]}""").param()).contains("tools.0.type");
        assertThat(refusal("""
                {"model":"sonnet","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"name":"a","input_schema":{}}],"tool_choice":{"type":"tool","name":"b"}}""").param())
                .contains("tool_choice.name");
    }

    @Test
    void takesSystemMessagesInsideMessagesAsInstructionsAsClaudeCodeSendsThem() {
        MessagesRequest request = decode("""
                {"model":"sonnet","max_tokens":10,"system":"Top.","messages":[{"role":"user","content":"hi"},
                 {"role":"system","content":[{"type":"text","text":"Per turn."}]}]}""");

        assertThat(request.turn().system()).contains("Top.\n\nPer turn.");
        assertThat(request.turn().messages()).containsExactly(Message.user("hi"));
        assertThat(refusal("""
                {"model":"sonnet","max_tokens":10,"messages":[{"role":"system","content":"only this"}]}""").param())
                .contains("messages");
    }
}
