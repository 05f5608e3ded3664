package dev.claudemaxapi.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.ProxyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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

    /** An optional whole number of at least 1. */
    public static OptionalInt optionalPositiveInt(JsonNode parent, String field, String at) {
        return optional(parent, field).map(value -> {
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
                throw ProxyException.invalidParam(at, at + " must be an integer >= 1.");
            }
            return OptionalInt.of(value.intValue());
        }).orElse(OptionalInt.empty());
    }

    /**
     * Stop sequences: an array of at most {@code max} non-empty strings, or, where {@code oneAllowed}, a single
     * string; absent or null reads as none.
     */
    public static List<String> stopSequences(JsonNode parent, String field, int max, Single single) {
        Optional<JsonNode> value = optional(parent, field);
        if (value.isEmpty()) {
            return List.of();
        }
        JsonNode node = value.get();
        if (node.isTextual() && single == Single.ALLOWED) {
            return List.of(nonEmpty(node, field));
        }
        if (!node.isArray()) {
            throw ProxyException.invalidParam(field, field + (single == Single.ALLOWED
                    ? " must be a string or an array of strings." : " must be an array of strings."));
        }
        if (node.size() > max) {
            throw ProxyException.invalidParam(field, field + " takes at most " + max + " sequences.");
        }
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            sequences.add(nonEmpty(node.get(i), field + "[" + i + "]"));
        }
        return sequences;
    }

    /** Whether a lone string is taken where an array is expected. */
    public enum Single { ALLOWED, REFUSED }

    private static String nonEmpty(JsonNode value, String at) {
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw ProxyException.invalidParam(at, at + " must be a non-empty string.");
        }
        return value.textValue();
    }
}
