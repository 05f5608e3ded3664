package dev.claudemaxapi.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what the server wrote: JSON trees, and the random ids that exact expectations must borrow. */
public final class Wire {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern CHAT_ID = Pattern.compile("\"id\":\"(chatcmpl-[0-9a-f]{32})\"");

    private Wire() {}

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The {@code chatcmpl-} id of the first chunk or completion in {@code body}; fails if there is none. */
    public static String chatId(String body) {
        Matcher matcher = CHAT_ID.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no chatcmpl- id (32 hex digits) in: " + body);
        }
        return matcher.group(1);
    }
}
