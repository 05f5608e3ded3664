package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.api.OutputSchemas;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.ProxyException;
import java.util.Optional;

/** Request fields the OpenAI APIs share, read one way for all of them. */
final class OpenAiFields {
    private OpenAiFields() {}

    /** @throws ProxyException (400) naming {@code param}: the CLI gives no token probabilities */
    static void refuseLogprobs(String param) {
        throw ProxyException.invalidParam(param, "Token log probabilities are not available through the Claude CLI.");
    }

    /** @throws ProxyException (400) for a non-empty {@code logit_bias}, which no Claude model takes */
    static void refuseLogitBias(JsonNode root) {
        Fields.optional(root, "logit_bias").filter(bias -> !bias.isEmpty()).ifPresent(bias -> {
            throw ProxyException.invalidParam("logit_bias", "logit_bias cannot be applied to Claude models.");
        });
    }

    /** {@code stream_options.include_usage}. */
    static boolean includeUsage(JsonNode root) {
        if (Fields.optional(root, "stream_options").isEmpty()) {
            return false;
        }
        JsonNode options = Fields.object(root, "stream_options", "stream_options");
        return Fields.flag(options, "include_usage", "stream_options.include_usage", false);
    }

    /**
     * Chat's {@code include_reasoning: true} (the common extension of OpenAI-compatible servers) asks for thinking as
     * {@code reasoning_content}.
     */
    static ReasoningText chatReasoning(JsonNode root) {
        return Fields.flag(root, "include_reasoning", "include_reasoning", false) ? ReasoningText.SHOWN
                : ReasoningText.HIDDEN;
    }

    /** An OpenAI effort name on the CLI's levels: the lowest two below {@code low} are low, {@code xhigh} is max. */
    static Effort effort(String level, String at) {
        return switch (level) {
            case "none", "minimal", "low" -> Effort.LOW;
            case "medium" -> Effort.MEDIUM;
            case "high" -> Effort.HIGH;
            case "xhigh" -> Effort.MAX;
            default -> throw ProxyException.invalidParam(at, at + " must be one of none, minimal, low, medium, high,"
                    + " xhigh.");
        };
    }

    /**
     * A response format: {@code json_schema} gives its schema, {@code json_object} any JSON object, {@code text}
     * none.
     *
     * @param at where the format is, for the error of a wrong one
     */
    static Optional<String> outputSchema(String type, JsonNode schema, String at) {
        return switch (type) {
            case "text" -> Optional.empty();
            case "json_object" -> Optional.of("{\"type\":\"object\"}");
            case "json_schema" -> Optional.of(OutputSchemas.check(schema, at + ".schema"));
            default -> throw ProxyException.invalidParam(at + ".type", at + ".type must be text, json_object or"
                    + " json_schema.");
        };
    }
}
