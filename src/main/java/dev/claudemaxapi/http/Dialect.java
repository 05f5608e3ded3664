package dev.claudemaxapi.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.anthropic.AnthropicErrors;
import dev.claudemaxapi.api.openai.OpenAiErrors;
import dev.claudemaxapi.core.ProxyException;

/** Which API a request speaks, so errors come back in its shape. */
enum Dialect {
    OPENAI,
    ANTHROPIC;

    /** Anthropic paths, and any request carrying Anthropic's version header, get Anthropic's error shape. */
    static Dialect of(String path, String anthropicVersion) {
        if (path.startsWith("/v1/messages") || anthropicVersion != null) {
            return ANTHROPIC;
        }
        return OPENAI;
    }

    byte[] errorBody(ObjectMapper json, ProxyException failure) {
        return switch (this) {
            case OPENAI -> OpenAiErrors.body(json, failure);
            case ANTHROPIC -> AnthropicErrors.body(json, failure);
        };
    }
}
