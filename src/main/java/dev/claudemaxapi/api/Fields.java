package dev.claudemaxapi.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.ProxyException;
import java.util.Optional;

/**
 * Typed reads of request fields for the decoders: a field of the wrong JSON type is a 400 naming its path, never a
 * silent default or a {@code NullPointerException}. {@code at} is the field's path as the client wrote it.
 */
public final class Fields {
    private Fields() {}

    /** The field's value, or empty when it is absent or JSON {@code null}. */
    public static Optional<JsonNode> optional(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public static boolean flag(JsonNode parent, String field, String at, boolean absent) {
        return optional(parent, field).map(value -> {
            if (!value.isBoolean()) {
                throw ProxyException.invalidParam(at, at + " must be a boolean.");
            }
            return value.booleanValue();
        }).orElse(absent);
    }

    public static String string(JsonNode parent, String field, String at) {
        return optionalString(parent, field, at)
                .orElseThrow(() -> ProxyException.invalidParam(at, at + " is required and must be a string."));
    }

    public static Optional<String> optionalString(JsonNode parent, String field, String at) {
        return optional(parent, field).map(value -> {
            if (!value.isTextual()) {
                throw ProxyException.invalidParam(at, at + " must be a string.");
            }
            return value.textValue();
        });
    }

    public static JsonNode object(JsonNode parent, String field, String at) {
        JsonNode value = optional(parent, field)
                .orElseThrow(() -> ProxyException.invalidParam(at, at + " is required and must be an object."));
        if (!value.isObject()) {
            throw ProxyException.invalidParam(at, at + " must be an object.");
        }
        return value;
    }

    /** An optional array: absent or null reads as empty. */
    public static Optional<JsonNode> optionalArray(JsonNode parent, String field, String at) {
        return optional(parent, field).map(value -> {
            if (!value.isArray()) {
                throw ProxyException.invalidParam(at, at + " must be an array.");
            }
            return value;
        });
    }

    public static void requireObject(JsonNode value, String at) {
        if (value == null || !value.isObject()) {
            throw ProxyException.invalidParam(at, at + " must be an object.");
        }
    }
}
