package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Usage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatResponseEncoderTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private final ObjectMapper json = Json.mapper();
    private final ChatResponseEncoder encoder = new ChatResponseEncoder(json, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Completion completion(StopReason reason, Usage usage, ContentBlock... content) {
        return new Completion("msg_01", "claude-sonnet-5-5", List.of(content), reason, usage);
    }

    /** The encoded tree, with its random id checked and replaced by a fixed one. */
    private JsonNode encode(Completion completion) throws IOException {
        ObjectNode tree = (ObjectNode) json.readTree(encoder.encode(completion, ReasoningText.HIDDEN));
        assertThat(tree.path("id").asText()).matches("chatcmpl-[0-9a-f]{32}");
        tree.put("id", "chatcmpl-ID");
        return tree;
    }

    @Test
    void writesAChatCompletion() throws IOException {
        JsonNode tree = encode(completion(StopReason.END_TURN, new Usage(10, 5, 0, 0),
                new ContentBlock.Text("Hello"), new ContentBlock.Text(", world")));

        assertThat(tree).isEqualTo(json.readTree("""
                {
                  "id": "chatcmpl-ID",
                  "object": "chat.completion",
                  "created": 1767323045,
                  "model": "claude-sonnet-5-5",
                  "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello, world", "refusal": null},
                    "logprobs": null,
                    "finish_reason": "stop"
                  }],
                  "usage": {
                    "prompt_tokens": 10,
                    "completion_tokens": 5,
                    "total_tokens": 15,
                    "prompt_tokens_details": {"cached_tokens": 0}
                  },
                  "system_fingerprint": null
                }"""));
    }

    @Test
    void leavesThinkingOutOfTheMessage() throws IOException {
        JsonNode tree = encode(completion(StopReason.END_TURN, Usage.ZERO,
                new ContentBlock.Thinking("hmm"), new ContentBlock.Text("42")));

        assertThat(tree.at("/choices/0/message/content").asText()).isEqualTo("42");
    }

    @Test
    void countsCachedInputAsPromptTokens() throws IOException {
        JsonNode tree = encode(completion(StopReason.END_TURN, new Usage(3, 7, 100, 2000),
                new ContentBlock.Text("x")));

        assertThat(tree.get("usage")).isEqualTo(json.readTree("""
                {"prompt_tokens": 2103, "completion_tokens": 7, "total_tokens": 2110,
                 "prompt_tokens_details": {"cached_tokens": 2000}}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "END_TURN, stop",
        "STOP_SEQUENCE, stop",
        "PAUSE_TURN, stop",
        "MAX_TOKENS, length",
        "TOOL_USE, tool_calls",
        "REFUSAL, content_filter",
        "MODEL_CONTEXT_WINDOW_EXCEEDED, length",
    })
    void mapsStopReasonsToFinishReasons(StopReason.Known reason, String finishReason) throws IOException {
        JsonNode tree = encode(completion(reason, Usage.ZERO, new ContentBlock.Text("x")));

        assertThat(tree.at("/choices/0/finish_reason").asText()).isEqualTo(finishReason);
    }

    @Test
    void aStopReasonTheProxyDoesNotKnowFinishesAsStopTheOneThatClaimsNothingMore() throws IOException {
        JsonNode tree = encode(completion(new StopReason.Unknown("context_budget_spent"), Usage.ZERO,
                new ContentBlock.Text("x")));

        assertThat(tree.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void givesEveryCompletionAFreshId() throws IOException {
        Completion same = completion(StopReason.END_TURN, Usage.ZERO);

        assertThat(json.readTree(encoder.encode(same, ReasoningText.HIDDEN)).get("id"))
                .isNotEqualTo(json.readTree(encoder.encode(same, ReasoningText.HIDDEN)).get("id"));
    }

    @Test
    void putsTheThinkingInReasoningContentOnlyWhenAsked() throws IOException {
        Completion thought = completion(StopReason.END_TURN, new Usage(1, 2, 0, 0),
                new ContentBlock.Thinking("Let me ", "s1"), new ContentBlock.Thinking("think.", "s2"),
                new ContentBlock.Text("42"));

        JsonNode shown = json.readTree(encoder.encode(thought, ReasoningText.SHOWN)).at("/choices/0/message");
        JsonNode hidden = json.readTree(encoder.encode(thought, ReasoningText.HIDDEN)).at("/choices/0/message");

        assertThat(shown.path("reasoning_content").asText()).isEqualTo("Let me think.");
        assertThat(shown.path("content").asText()).isEqualTo("42");
        assertThat(hidden.has("reasoning_content")).isFalse();
    }
}
