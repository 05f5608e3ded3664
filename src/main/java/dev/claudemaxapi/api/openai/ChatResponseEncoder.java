package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Completion;
import java.time.Clock;
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
                List.of(new ChatWire.Choice(0, new ChatWire.AssistantMessage("assistant", completion.text(), null),
                        null, ChatWire.finishReason(completion.stopReason()))),
                ChatWire.CompletionUsage.of(completion.usage()),
                null);
        return Json.write(json, body);
    }

    /** A stream encoder for one streamed answer. */
    public ChatStreamEncoder streamEncoder(boolean includeUsage) {
        return new ChatStreamEncoder(json, OpenAiIds.chatCompletion(), clock.instant().getEpochSecond(), includeUsage);
    }
}
