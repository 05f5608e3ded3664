package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.core.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The legacy completions API: its requests read into a turn, its answers written whole and as chunks. */
class CompletionsCodecTest {
    private final ObjectMapper json = Json.mapper();
    private final CompletionsRequestDecoder decoder = new CompletionsRequestDecoder(json, new ModelCatalog(Map.of()));
    private final CompletionsResponseEncoder encoder = new CompletionsResponseEncoder(json,
            Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));

    private CompletionsRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsThePromptAsTextToContinueWithTheApisDefaultCapOfSixteenTokens() {
        CompletionsRequest request = decode("{\"model\":\"sonnet\",\"prompt\":\"def fib(n):\",\"stop\":\"\\n\\n\"}");

        assertThat(request.turn().messages()).containsExactly(Message.user("def fib(n):"));
        assertThat(request.turn().system()).contains(CompletionsRequestDecoder.CONTINUE_PROMPT);
        assertThat(request.turn().options()).isEqualTo(new TurnOptions(List.of("\n\n"), OptionalInt.of(16)));
        assertThat(request.stream()).isFalse();
    }

    @Test
    void takesAPromptArrayOfOneAndTheClientsOwnCap() {
        CompletionsRequest request = decode("{\"model\":\"sonnet\",\"prompt\":[\"Once\"],\"max_tokens\":200,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0.2,\"n\":1}");

        assertThat(request.turn().messages()).containsExactly(Message.user("Once"));
        assertThat(request.turn().options().maxOutputTokens()).hasValue(200);
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"prompt\":[\"a\",\"b\"]|prompt",
        "\"prompt\":[1,2,3]|prompt",
        "\"prompt\":\"\"|prompt",
        "\"prompt\":\"x\",\"echo\":true|echo",
        "\"prompt\":\"x\",\"suffix\":\"end\"|suffix",
        "\"prompt\":\"x\",\"logprobs\":5|logprobs",
        "\"prompt\":\"x\",\"best_of\":3|best_of",
        "\"prompt\":\"x\",\"n\":2|n",
        "\"prompt\":\"x\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]|stop",
        "\"prompt\":\"x\",\"max_tokens\":0|max_tokens",
    })
    void refusesWhatItCannotHonour(String fields, String param) {
        ProxyException refused = catchThrowableOfType(ProxyException.class,
                () -> decode("{\"model\":\"sonnet\"," + fields + "}"));

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.param()).contains(param);
    }

    @Test
    void writesAWholeAnswerAsATextCompletion() throws Exception {
        JsonNode body = json.readTree(encoder.encode(new Completion("msg_1", "claude-sonnet-5-5",
                List.of(new ContentBlock.Text("    return n")), StopReason.MAX_TOKENS, new Usage(12, 16, 0, 3))));

        assertThat(body.path("id").asText()).matches("cmpl-[0-9a-f]{32}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).remove("id");
        assertThat(body).isEqualTo(json.readTree("""
                {"object":"text_completion","created":1700000000,"model":"claude-sonnet-5-5",
                 "choices":[{"text":"    return n","index":0,"logprobs":null,"finish_reason":"length"}],
                 "usage":{"prompt_tokens":15,"completion_tokens":16,"total_tokens":31,
                          "prompt_tokens_details":{"cached_tokens":3}}}"""));
    }

    @Test
    void streamsOneChunkPerTextDeltaThenTheFinishReasonTheUsageAndDone() throws Exception {
        StreamEncoder stream = encoder.streamEncoder(true);
        List<SseEvent> events = new ArrayList<>();
        for (Event event : List.of(new Event.MessageStart("m", "claude-sonnet-5-5", new Usage(5, 1, 0, 0)),
                new Event.BlockStart(0, BlockType.TEXT), new Event.BlockDelta(0, BlockType.TEXT, "Hel"),
                new Event.BlockDelta(0, BlockType.TEXT, "lo"), new Event.BlockStop(0),
                new Event.MessageDelta(new StopReason.AtSequence("\n"), new Usage(5, 2, 0, 0)), new Event.MessageStop())) {
            events.addAll(stream.encode(event));
        }

        List<String> data = events.stream().map(event -> ((SseEvent.Data) event).data()).toList();
        assertThat(data).hasSize(5).last().isEqualTo("[DONE]");
        JsonNode first = json.readTree(data.get(0));
        assertThat(first.path("object").asText()).isEqualTo("text_completion");
        assertThat(first.path("choices").get(0).path("text").asText()).isEqualTo("Hel");
        assertThat(first.path("choices").get(0).path("finish_reason").isNull()).isTrue();
        assertThat(json.readTree(data.get(2)).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = json.readTree(data.get(3));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asLong()).isEqualTo(2);
        assertThat(data.subList(0, 4)).allSatisfy(chunk -> assertThat(json.readTree(chunk).path("id").asText())
                .isEqualTo(first.path("id").asText()));
    }

    @Test
    void anErrorInTheStreamIsAnOpenAiErrorObjectThenDone() {
        List<SseEvent> events = encoder.streamEncoder(false).error(new ProxyException(
                dev.claudemaxapi.core.ErrorKind.UPSTREAM_FAILED, "boom"));

        assertThat(events).hasSize(2);
        assertThat(((SseEvent.Data) events.get(0)).data()).contains("\"error\"").contains("boom");
        assertThat(((SseEvent.Data) events.get(1)).data()).isEqualTo("[DONE]");
    }
}
