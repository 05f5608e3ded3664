package dev.claudemaxapi.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The two protocols the server speaks: where a request goes and how its body looks. */
enum Dialect {
    OPENAI("/v1/chat/completions"),
    ANTHROPIC("/v1/messages");

    private static final ObjectMapper JSON = new ObjectMapper();

    final String path;

    Dialect(String path) {
        this.path = path;
    }

    /** @param history alternating user and assistant texts, ending with the new user text */
    String body(String model, boolean stream, List<String> history) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", stream);
        if (this == ANTHROPIC) {
            body.put("max_tokens", 1024);
        } else if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < history.size(); i++) {
            messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", history.get(i));
        }
        return body.toString();
    }
}
