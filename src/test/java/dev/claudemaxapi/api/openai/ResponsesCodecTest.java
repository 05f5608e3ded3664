package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Usage;
import dev.claudemaxapi.store.Database;
import dev.claudemaxapi.store.ResponseStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Responses API's requests read into a turn, and its answers written as response objects. */
class ResponsesCodecTest {
    private final ObjectMapper json = Json.mapper();
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
    private final Database database = Database.inMemory();
    private final ResponseStore store = new ResponseStore(database, clock, Duration.ofDays(30), 1 << 20);
    private final ResponsesRequestDecoder decoder = new ResponsesRequestDecoder(json, new ModelCatalog(Map.of()),
            store);
    private final ResponsesEncoder encoder = new ResponsesEncoder(json, clock, store);

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private ResponsesRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8), Caller.ANONYMOUS);
    }

    @Test
    void readsItemsIntoTheConversationAndInstructionsWithSystemItemsIntoTheSystemPrompt() {
        ResponsesRequest request = decode("""
                {"model":"sonnet","instructions":"Be brief.","reasoning":{"effort":"high"},"max_output_tokens":99,
                 "tools":[{"type":"function","name":"lookup","parameters":{"type":"object"},"strict":true}],
                 "tool_choice":{"type":"function","name":"lookup"},
                 "input":[{"role":"developer","content":"Use tools."},
                          {"type":"message","role":"user","content":[{"type":"input_text","text":"Find Paris"}]},
                          {"type":"function_call","call_id":"c1","name":"lookup","arguments":"{\\"q\\":\\"paris\\"}"},
                          {"type":"function_call_output","call_id":"c1","output":"France"},
                          {"type":"reasoning","id":"rs_1","summary":[]}]}""");

        assertThat(request.turn().system()).contains("Be brief.\n\nUse tools.");
        assertThat(request.turn().messages()).containsExactly(Message.user("Find Paris"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.ToolUse("c1", "lookup", "{\"q\":\"paris\"}"))),
                new Message(Role.USER, List.of(new ContentBlock.ToolResult("c1",
                        List.of(new ContentBlock.Text("France")), false))));
        assertThat(request.turn().tools().choice()).isEqualTo(new ToolChoice.Named("lookup"));
        assertThat(request.turn().options().effort()).contains(Effort.HIGH);
        assertThat(request.turn().options().maxOutputTokens()).hasValue(99);
        assertThat(request.echo().toolChoice().path("name").asText()).isEqualTo("lookup");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"input\":\"x\",\"background\":true|background",
        "\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]|input[0].type",
        "\"input\":[{\"role\":\"assistant\",\"content\":\"hi\"}]|input",
        "\"input\":7|input",
        "\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]|tools[0].type",
        "\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\",\"schema\":3}}|text.format.schema",
        "\"input\":\"x\",\"reasoning\":{\"effort\":\"extreme\"}|reasoning.effort",
        "\"input\":\"x\",\"reasoning\":{\"summary\":\"verbose\"}|reasoning.summary",
        "\"input\":\"x\",\"include\":[\"message.output_text.logprobs\"]|include",
    })
    void refusesWhatItCannotHonour(String fields, String param) {
        ProxyException refused = catchThrowableOfType(ProxyException.class,
                () -> decode("{\"model\":\"sonnet\"," + fields + "}"));

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.param()).contains(param);
    }

    @Test
    void writesAResponseObjectWithAMessageItemAndAFunctionCallItem() throws Exception {
        ResponsesRequest request = decode("{\"model\":\"sonnet\",\"input\":\"x\",\"instructions\":\"Be brief.\"}");

        JsonNode body = json.readTree(encoder.encode(new Completion("m", "claude-sonnet-5-5", List.of(
                new ContentBlock.Thinking("hmm"), new ContentBlock.Text("Let me look."),
                new ContentBlock.ToolUse("toolu_1", "lookup", "{\"q\":1}")), StopReason.TOOL_USE,
                new Usage(10, 5, 0, 2)), request));

        assertThat(body.path("object").asText()).isEqualTo("response");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(body.path("created_at").asLong()).isEqualTo(1_700_000_000);
        assertThat(body.path("output")).hasSize(2);
        assertThat(body.path("output").get(0).path("content").get(0)).isEqualTo(json.readTree(
                "{\"type\":\"output_text\",\"text\":\"Let me look.\",\"annotations\":[]}"));
        JsonNode call = body.path("output").get(1);
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("call_id").asText()).isEqualTo("toolu_1");
        assertThat(call.path("arguments").asText()).isEqualTo("{\"q\":1}");
        assertThat(body.path("usage")).isEqualTo(json.readTree("""
                {"input_tokens":12,"input_tokens_details":{"cached_tokens":2},"output_tokens":5,
                 "output_tokens_details":{"reasoning_tokens":0},"total_tokens":17}"""));
        assertThat(body.path("text").path("format").path("type").asText()).isEqualTo("text");
    }

    @Test
    void thinkingIsAReasoningItemInItsPlaceOnlyWhenTheSummaryIsAskedFor() throws Exception {
        Completion thought = new Completion("m", "claude-sonnet-5-5", List.of(new ContentBlock.Thinking("hmm", "sig"),
                new ContentBlock.Text("Forty-two.")), StopReason.END_TURN, new Usage(10, 5, 0, 0));

        JsonNode asked = json.readTree(encoder.encode(thought,
                decode("{\"model\":\"sonnet\",\"input\":\"x\",\"reasoning\":{\"summary\":\"auto\"}}")));
        JsonNode notAsked = json.readTree(encoder.encode(thought, decode("{\"model\":\"sonnet\",\"input\":\"x\"}")));

        assertThat(asked.path("output")).hasSize(2);
        JsonNode reasoning = asked.path("output").get(0);
        assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
        assertThat(reasoning.path("id").asText()).startsWith("rs_");
        assertThat(reasoning.path("summary")).isEqualTo(json.readTree("[{\"type\":\"summary_text\",\"text\":\"hmm\"}]"));
        assertThat(asked.path("output").get(1).path("type").asText()).isEqualTo("message");
        assertThat(notAsked.path("output")).hasSize(1);
        assertThat(notAsked.path("output").get(0).path("type").asText()).isEqualTo("message");
    }

    @Test
    void streamedThinkingIsTheReasoningSummaryEventSequence() throws Exception {
        StreamEncoder stream = encoder.streamEncoder(
                decode("{\"model\":\"sonnet\",\"input\":\"x\",\"reasoning\":{\"summary\":\"detailed\"}}"));
        List<SseEvent> events = new ArrayList<>();
        for (Event event : List.<Event>of(new Event.MessageStart("m", "claude-sonnet-5-5", Usage.ZERO),
                new Event.BlockStart(0, BlockType.THINKING), new Event.BlockDelta(0, BlockType.THINKING, "Let me "),
                new Event.BlockDelta(0, BlockType.THINKING, "think."), new Event.BlockSignature(0, "sig"),
                new Event.BlockStop(0), new Event.BlockStart(1, BlockType.TEXT),
                new Event.BlockDelta(1, BlockType.TEXT, "42"), new Event.BlockStop(1),
                new Event.MessageDelta(StopReason.END_TURN, new Usage(3, 4, 0, 0)), new Event.MessageStop())) {
            events.addAll(stream.encode(event));
        }

        List<JsonNode> data = new ArrayList<>();
        for (SseEvent event : events) {
            data.add(json.readTree(((SseEvent.Data) event).data()));
        }
        assertThat(data).extracting(node -> node.path("type").asText()).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.output_item.done", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed");
        assertThat(data).extracting(node -> node.path("sequence_number").asInt())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        String itemId = data.get(2).path("item").path("id").asText();
        assertThat(data.get(4).path("item_id").asText()).isEqualTo(itemId);
        assertThat(data.get(4).path("output_index").asInt()).isZero();
        assertThat(data.get(4).path("summary_index").asInt()).isZero();
        assertThat(data.get(6).path("text").asText()).isEqualTo("Let me think.");
        assertThat(data.get(9).path("output_index").asInt()).isEqualTo(1);
        JsonNode output = data.get(15).path("response").path("output");
        assertThat(output).hasSize(2);
        assertThat(output.get(0).path("summary").get(0).path("text").asText()).isEqualTo("Let me think.");
        assertThat(output.get(1).path("content").get(0).path("text").asText()).isEqualTo("42");
    }
}
