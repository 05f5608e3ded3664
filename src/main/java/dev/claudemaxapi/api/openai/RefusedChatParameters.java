package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.core.ProxyException;

/**
 * The chat completions parameters the proxy refuses because answering as if they had been honoured would mislead:
 * the client would trust a shape, a probability or a bias it never got. Parameters that only tune sampling
 * ({@code temperature}, {@code top_p}, {@code seed}, penalties) are accepted and have no effect, as the README's
 * table says: the CLI sets them itself.
 */
final class RefusedChatParameters {
    private RefusedChatParameters() {}

    /** @throws ProxyException (400) naming the first parameter that cannot be honoured */
    static void check(JsonNode root) {
        if (Fields.flag(root, "logprobs", "logprobs", false)
                || Fields.optional(root, "top_logprobs").filter(top -> top.asInt(0) > 0).isPresent()) {
            OpenAiFields.refuseLogprobs("logprobs");
        }
        OpenAiFields.refuseLogitBias(root);
        boolean audio = Fields.optional(root, "audio").isPresent() || Fields.optional(root, "modalities")
                .filter(modalities -> modalities.toString().contains("\"audio\"")).isPresent();
        if (audio) {
            throw ProxyException.invalidParam("modalities", "Audio output is not supported.");
        }
        Fields.optional(root, "web_search_options").ifPresent(search -> {
            throw ProxyException.invalidParam("web_search_options", "Web search is not available through this proxy.");
        });
    }
}
