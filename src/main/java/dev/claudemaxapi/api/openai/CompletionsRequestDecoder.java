package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a legacy {@code POST /v1/completions} request into a {@link Turn}: the prompt is text to continue, so it
 * goes to the model as the user's message under a system prompt that asks for the continuation alone.
 */
public final class CompletionsRequestDecoder {
    static final String CONTINUE_PROMPT = "You continue text. The user's message is a text to continue: reply with"
            + " only its continuation, starting exactly where the text ends, with no preamble, no quotes and no"
            + " repetition of the text.";
    /** What the OpenAI API writes when a request names no cap. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private final ObjectMapper json;
    private final ModelCatalog models;

    public CompletionsRequestDecoder(ObjectMapper json, ModelCatalog models) {
        this.json = json;
        this.models = models;
    }

    /** @throws ProxyException (400) for anything malformed or that would be answered as if honoured when it is not */
    public CompletionsRequest decode(byte[] body) {
        JsonNode root = Json.parseObject(json, body);
        String requested = Fields.string(root, "model", "model");
        String model = models.resolve(requested);
        refuseWhatCannotBeHonoured(root);
        String prompt = prompt(root);
        boolean stream = Fields.flag(root, "stream", "stream", false);
        boolean includeUsage = OpenAiFields.includeUsage(root);
        OptionalInt cap = Fields.optionalPositiveInt(root, "max_tokens", "max_tokens");
        TurnOptions options = new TurnOptions(Fields.stopSequences(root, "stop", 4, Fields.Single.ALLOWED),
                cap.isPresent() ? cap : OptionalInt.of(DEFAULT_MAX_TOKENS));
        Turn turn = new Turn(model, Optional.of(CONTINUE_PROMPT), List.of(Message.user(prompt))).withOptions(options);
        return new CompletionsRequest(turn, requested, stream, includeUsage);
    }

    /** One prompt: a string, or an array holding one string. Token arrays and batches are refused. */
    private static String prompt(JsonNode root) {
        JsonNode prompt = Fields.optional(root, "prompt")
                .orElseThrow(() -> ProxyException.invalidParam("prompt", "'prompt' is required."));
        if (prompt.isArray() && prompt.size() == 1) {
            prompt = prompt.get(0);
        } else if (prompt.isArray()) {
            throw ProxyException.invalidParam("prompt", "One prompt per request: send each of several prompts in a"
                    + " request of its own.");
        }
        if (!prompt.isTextual()) {
            throw ProxyException.invalidParam("prompt", "'prompt' must be a string; token arrays are not supported.");
        }
        if (prompt.textValue().isEmpty()) {
            throw ProxyException.invalidParam("prompt", "'prompt' must not be empty.");
        }
        return prompt.textValue();
    }

    private static void refuseWhatCannotBeHonoured(JsonNode root) {
        if (Fields.flag(root, "echo", "echo", false)) {
            throw ProxyException.invalidParam("echo", "echo is not supported: the prompt is not sent back.");
        }
        Fields.optionalString(root, "suffix", "suffix").filter(suffix -> !suffix.isEmpty()).ifPresent(suffix -> {
            throw ProxyException.invalidParam("suffix", "suffix (fill in the middle) is not supported.");
        });
        Fields.optional(root, "logprobs").filter(logprobs -> logprobs.asInt(0) > 0)
                .ifPresent(logprobs -> OpenAiFields.refuseLogprobs("logprobs"));
        for (String count : List.of("n", "best_of")) {
            Fields.optional(root, count).filter(value -> !(value.isIntegralNumber() && value.intValue() == 1))
                    .ifPresent(value -> {
                        throw ProxyException.invalidParam(count, "Only " + count + "=1 is supported.");
                    });
        }
        OpenAiFields.refuseLogitBias(root);
    }
}
