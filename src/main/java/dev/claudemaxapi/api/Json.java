package dev.claudemaxapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.io.IOException;

/** The one JSON mapper configuration of the server, and request-body parsing with a client-facing error. */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // a body is one JSON value: "{...}garbage" or two objects are not a request
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
        // Base64 images make long strings legal; the HTTP layer caps the body size instead.
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build());
        return mapper;
    }

    /** @throws ProxyException (400) when the body is not a JSON object */
    public static JsonNode parseObject(ObjectMapper mapper, byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProxyException.invalid("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProxyException.invalid("The request body could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw ProxyException.invalid("The request body must be a JSON object.");
        }
        return node;
    }

    /**
     * Reads JSON the model wrote, such as a tool call's input.
     *
     * @throws ProxyException (502) when it is not JSON
     */
    public static JsonNode tree(ObjectMapper mapper, String modelJson) {
        try {
            return mapper.readTree(modelJson);
        } catch (JsonProcessingException e) {
            throw new ProxyException(ErrorKind.UPSTREAM_FAILED, "The model wrote a tool input that is not JSON.");
        }
    }

    /** Reads JSON this server wrote itself, such as a stored response. */
    public static JsonNode readOwn(ObjectMapper mapper, String ownJson) {
        try {
            return mapper.readTree(ownJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON the server wrote no longer parses", e);
        }
    }

    public static byte[] write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response records always serialize", e);
        }
    }

    public static String writeString(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response records always serialize", e);
        }
    }
}
