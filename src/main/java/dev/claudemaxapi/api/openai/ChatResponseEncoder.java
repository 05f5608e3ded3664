package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Completion;
import java.time.Clock;
import dev.claudemaxapi.core.ContentBlock;
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

    public byte[] encode(Completion completion) {
        ChatWire.ChatCompletion body = new ChatWire.ChatCompletion(
                OpenAiIds.chatCompletion(),
                "chat.completion",
                clock.instant().getEpochSecond(),
                completion.model(),
                List.of(new ChatWire.Choice(0, message(completion), null,
                        ChatWire.finishReason(completion.stopReason()))),
                ChatWire.CompletionUsage.of(completion.usage()),
                null);
        return Json.write(json, body);
    }

    /** The answer's text, and its tool calls if any; with calls and no text the content is null, as OpenAI sends. */
    private static ChatWire.AssistantMessage message(Completion completion) {
        List<ChatWire.ToolCall> calls = new ArrayList<>();
        for (ContentBlock block : completion.content()) {
            if (block instanceof ContentBlock.ToolUse call) {
                calls.add(ChatWire.ToolCall.of(call.id(), call.name(), call.inputJson()));
            }
        }
        String text = completion.text();
        return new ChatWire.AssistantMessage("assistant", text.isEmpty() && !calls.isEmpty() ? null : text, null,
                calls);
    }

    /** A stream encoder for one streamed answer. */
    public ChatStreamEncoder streamEncoder(boolean includeUsage) {
        return new ChatStreamEncoder(json, OpenAiIds.chatCompletion(), clock.instant().getEpochSecond(), includeUsage);
    }
}
