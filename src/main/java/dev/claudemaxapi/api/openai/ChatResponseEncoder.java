package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Writes a whole answer as an OpenAI {@code chat.completion}. */
public final class ChatResponseEncoder {
    private final ObjectMapper json;
    private final Clock clock;

    public ChatResponseEncoder(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    public byte[] encode(Completion completion, ReasoningText reasoning) {
        ChatWire.ChatCompletion body = new ChatWire.ChatCompletion(
                OpenAiIds.chatCompletion(),
                "chat.completion",
                clock.instant().getEpochSecond(),
                completion.model(),
                List.of(new ChatWire.Choice(0, message(completion, reasoning), null,
                        ChatWire.finishReason(completion.stopReason()))),
                ChatWire.CompletionUsage.of(completion.usage()),
                null);
        return Json.write(json, body);
    }

    /**
     * The answer's text, and its tool calls if any; with calls and no text the content is null, as OpenAI sends. Its
     * thinking, when asked for, is {@code reasoning_content}.
     */
    private static ChatWire.AssistantMessage message(Completion completion, ReasoningText reasoning) {
        List<ChatWire.ToolCall> calls = new ArrayList<>();
        StringBuilder thinking = new StringBuilder();
        for (ContentBlock block : completion.content()) {
            switch (block) {
                case ContentBlock.ToolUse call -> calls.add(ChatWire.ToolCall.of(call.id(), call.name(),
                        call.inputJson()));
                case ContentBlock.Thinking thought -> thinking.append(thought.thinking());
                default -> {
                    // text is gathered by Completion.text(); images and results are not answers
                }
            }
        }
        String text = completion.text();
        return new ChatWire.AssistantMessage("assistant", text.isEmpty() && !calls.isEmpty() ? null : text, null,
                calls, reasoning == ReasoningText.SHOWN && !thinking.isEmpty() ? thinking.toString() : null);
    }

    /** A stream encoder for one streamed answer. */
    public ChatStreamEncoder streamEncoder(boolean includeUsage, ReasoningText reasoning) {
        return new ChatStreamEncoder(json, OpenAiIds.chatCompletion(), clock.instant().getEpochSecond(), includeUsage,
                reasoning);
    }
}
