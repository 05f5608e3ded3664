package dev.claudemaxapi.soak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a response body as a client library would and says whether it is a whole, well-formed answer: for a
 * stream, every event parses, no error came in-band, and the stream ends as its protocol ends it ({@code [DONE]},
 * {@code message_stop}); otherwise the answer's stop reason says it finished.
 */
final class ReplyCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer's text, and why the body is not a complete answer, or null when it is. */
    record Reply(String text, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private ReplyCheck() {}

    static Reply read(Dialect dialect, boolean stream, String body) {
        try {
            return switch (dialect) {
                case OPENAI -> stream ? openAiStream(body) : openAiJson(body);
                case ANTHROPIC -> stream ? anthropicStream(body) : anthropicJson(body);
            };
        } catch (JsonProcessingException e) {
            return new Reply("", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** Whether {@code body} is an error in the dialect's own shape. */
    static boolean isError(Dialect dialect, String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            return switch (dialect) {
                // Anthropic's error has a message too, but also a top-level type
                case OPENAI -> tree.path("error").path("message").isTextual() && !tree.has("type");
                case ANTHROPIC -> tree.path("type").asText().equals("error")
                        && tree.path("error").path("type").isTextual();
            };
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static Reply openAiJson(String body) throws JsonProcessingException {
        JsonNode choice = JSON.readTree(body).path("choices").path(0);
        String text = choice.path("message").path("content").asText("");
        String finish = choice.path("finish_reason").asText();
        return new Reply(text, finish.equals("stop") ? null : "finish_reason " + finish);
    }

    private static Reply anthropicJson(String body) throws JsonProcessingException {
        JsonNode message = JSON.readTree(body);
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText());
            }
        }
        String stop = message.path("stop_reason").asText();
        return new Reply(text.toString(), stop.equals("end_turn") ? null : "stop_reason " + stop);
    }

    private static Reply openAiStream(String body) throws JsonProcessingException {
        StringBuilder text = new StringBuilder();
        String finish = null;
        boolean done = false;
        for (String line : body.split("\n")) {
            if (!line.startsWith("data: ")) {
                continue;
            }
            if (done) {
                return new Reply(text.toString(), "data after [DONE]");
            }
            String data = line.substring(6);
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = JSON.readTree(data);
            if (chunk.has("error")) {
                return new Reply(text.toString(), "in-band error: " + chunk.path("error").path("message").asText());
            }
            JsonNode choice = chunk.path("choices").path(0);
            text.append(choice.path("delta").path("content").asText(""));
            if (choice.path("finish_reason").isTextual()) {
                finish = choice.path("finish_reason").asText();
            }
        }
        if (!done) {
            return new Reply(text.toString(), "no [DONE]");
        }
        return new Reply(text.toString(), "stop".equals(finish) ? null : "finish_reason " + finish);
    }

    private static Reply anthropicStream(String body) throws JsonProcessingException {
        StringBuilder text = new StringBuilder();
        String first = null;
        String last = null;
        String stop = null;
        String event = null;
        for (String line : body.split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
                continue;
            }
            if (!line.startsWith("data: ") || event == null) {
                continue;
            }
            JsonNode data = JSON.readTree(line.substring(6));
            if (event.equals("error")) {
                return new Reply(text.toString(), "in-band error: " + data.path("error").path("message").asText());
            }
            if (!data.path("type").asText().equals(event)) {
                return new Reply(text.toString(), "event " + event + " carries type " + data.path("type").asText());
            }
            if (!event.equals("ping")) {
                first = first == null ? event : first;
                last = event;
            }
            JsonNode delta = data.path("delta");
            if (event.equals("content_block_delta") && delta.path("type").asText().equals("text_delta")) {
                text.append(delta.path("text").asText());
            } else if (event.equals("message_delta")) {
                stop = delta.path("stop_reason").asText();
            }
            event = null;
        }
        if (!"message_start".equals(first)) {
            return new Reply(text.toString(), "first event " + first + ", not message_start");
        }
        if (!"message_stop".equals(last)) {
            return new Reply(text.toString(), "last event " + last + ", not message_stop");
        }
        return new Reply(text.toString(), "end_turn".equals(stop) ? null : "stop_reason " + stop);
    }
}
