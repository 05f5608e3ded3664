package dev.claudemaxapi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudemaxapi.core.ProxyException;

/** The response schemas of structured output, checked the same way for every API. */
public final class OutputSchemas {
    private OutputSchemas() {}

    /**
     * @return the schema as JSON text, without a {@code $schema} keyword
     * @throws ProxyException (400) when it is missing or is not a JSON Schema object with, if any, a proper type
     */
    public static String check(JsonNode schema, String at) {
        if (schema == null || !schema.isObject()) {
            throw ProxyException.invalidParam(at, at + " must be a JSON Schema object.");
        }
        JsonNode type = schema.get("type");
        if (type != null && !type.isTextual() && !type.isArray()) {
            throw ProxyException.invalidParam(at + ".type", at + ".type must be a string or an array of strings.");
        }
        // The CLI checks answers with a validator that knows no 2020-12 meta-schema, and a schema naming one (the
        // OpenAI SDK's helper writes it) would be dropped without a word: the keyword itself changes no rule here.
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove("$schema");
        return copy.toString();
    }
}
