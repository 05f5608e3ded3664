package dev.claudemaxapi.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Usage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesResponseEncoderTest {
    private final ObjectMapper json = Json.mapper();
    private final MessagesResponseEncoder encoder = new MessagesResponseEncoder(json);

    @Test
    void writesAMessage() throws IOException {
        byte[] body = encoder.encode(new Completion("msg_01XYZ", "claude-sonnet-5-5",
                List.of(new ContentBlock.Text("Hello")), StopReason.END_TURN, new Usage(12, 6, 3, 400)), ThinkingBlocks.SHOWN);

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {
                  "id": "msg_01XYZ",
                  "type": "message",
                  "role": "assistant",
                  "model": "claude-sonnet-5-5",
                  "content": [{"type": "text", "text": "Hello"}],
                  "stop_reason": "end_turn",
                  "stop_sequence": null,
                  "usage": {"input_tokens": 12, "output_tokens": 6,
                            "cache_creation_input_tokens": 3, "cache_read_input_tokens": 400}
                }"""));
    }

    @Test
    void writesThinkingBlocksBeforeTextWithAnEmptySignature() throws IOException {
        byte[] body = encoder.encode(new Completion("msg_1", "opus",
                List.of(new ContentBlock.Thinking("Let me think."), new ContentBlock.Text("42")),
                StopReason.MAX_TOKENS, Usage.ZERO), ThinkingBlocks.SHOWN);

        var tree = json.readTree(body);
        assertThat(tree.get("content")).isEqualTo(json.readTree("""
                [{"type": "thinking", "thinking": "Let me think.", "signature": ""},
                 {"type": "text", "text": "42"}]"""));
        assertThat(tree.get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void leavesThinkingOutWhenTheRequestDidNotAskForIt() throws IOException {
        byte[] body = encoder.encode(new Completion("msg_1", "opus",
                List.of(new ContentBlock.Thinking("Let me think.", "sig"), new ContentBlock.Text("42")),
                StopReason.END_TURN, Usage.ZERO), ThinkingBlocks.HIDDEN);

        assertThat(json.readTree(body).get("content")).isEqualTo(json.readTree("[{\"type\": \"text\", \"text\": \"42\"}]"));
    }

    @Test
    void writesAnEmptyAnswerAsEmptyContent() throws IOException {
        byte[] body = encoder.encode(new Completion("msg_1", "opus", List.of(), StopReason.REFUSAL, Usage.ZERO), ThinkingBlocks.SHOWN);

        assertThat(json.readTree(body).get("content")).isEmpty();
        assertThat(json.readTree(body).get("stop_reason").asText()).isEqualTo("refusal");
    }

    @Test
    void passesOnAStopReasonItDoesNotKnowAsItCame() throws IOException {
        byte[] body = encoder.encode(new Completion("msg_1", "opus", List.of(new ContentBlock.Text("x")),
                new StopReason.Unknown("context_budget_spent"), Usage.ZERO), ThinkingBlocks.SHOWN);

        assertThat(json.readTree(body).get("stop_reason").asText()).isEqualTo("context_budget_spent");
    }

    @Test
    void writesATokenCount() throws IOException {
        assertThat(json.readTree(encoder.tokenCount(2095))).isEqualTo(json.readTree("{\"input_tokens\":2095}"));
    }
}
