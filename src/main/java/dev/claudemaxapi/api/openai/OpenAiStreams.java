package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the chunked OpenAI streams (chat and legacy completions) share: their end, errors and heartbeat. */
final class OpenAiStreams {
    static final SseEvent DONE = SseEvent.Data.unnamed("[DONE]");

    private OpenAiStreams() {}

    /** A failure in the stream: the error object as a data line, then the end. */
    static List<SseEvent> error(ObjectMapper json, ProxyException failure) {
        return List.of(SseEvent.Data.unnamed(new String(OpenAiErrors.body(json, failure), StandardCharsets.UTF_8)),
                DONE);
    }

    /** A comment line, which clients skip. */
    static List<SseEvent> heartbeat() {
        return List.of(new SseEvent.Comment("ping"));
    }
}
