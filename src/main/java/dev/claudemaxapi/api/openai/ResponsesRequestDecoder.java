package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.claudemaxapi.api.DataUrl;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoreException;
import dev.claudemaxapi.store.StoredResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Responses API request into a {@link Turn}: {@code instructions} and system or developer messages are the
 * system prompt; {@code input} is a string or items (messages with {@code input_text} / {@code input_image} parts,
 * earlier {@code function_call}s and their {@code function_call_output}s); function {@code tools},
 * {@code tool_choice}, {@code max_output_tokens}, {@code reasoning.effort} and {@code text.format} as in chat.
 *
 * <p>{@code previous_response_id} puts the stored chain it ends first: each earlier request's input items, then that
 * response's output items (which are valid input items themselves), as if the client had sent them all. As in the
 * API, earlier {@code instructions} are not carried over. When that history is what a live conversation's process
 * already holds, the engine continues it without a rebuild, as for a client that sends the whole history.
 */
public final class ResponsesRequestDecoder {
    private final ObjectMapper json;
    private final ModelCatalog models;
    private final ResponseStore store;

    public ResponsesRequestDecoder(ObjectMapper json, ModelCatalog models, ResponseStore store) {
        this.json = json;
        this.models = models;
        this.store = store;
    }

    /**
     * @param caller who asks: only their own stored responses can be continued
     * @throws ProxyException (400) for anything malformed or that cannot be honoured, naming the field; 404 for a
     *     {@code previous_response_id} that is unknown, expired, or another caller's
     */
    public ResponsesRequest decode(byte[] body, Caller caller) {
        JsonNode root = Json.parseObject(json, body);
        String requested = Fields.string(root, "model", "model");
        String model = models.resolve(requested);
        refuseWhatCannotBeHonoured(root);
        List<String> system = new ArrayList<>();
        Fields.optionalString(root, "instructions", "instructions").ifPresent(system::add);
        List<Message> conversation = new ArrayList<>();
        JsonNode input = Fields.optional(root, "input")
                .orElseThrow(() -> ProxyException.invalidParam("input", "'input' is required."));
        ArrayNode items = items(input);
        Optional<String> previous = Fields.optionalString(root, "previous_response_id", "previous_response_id");
        if (previous.isPresent()) {
            for (JsonNode item : history(previous.get(), caller)) {
                readItem(item, "previous_response_id", system, conversation);
            }
        }
        for (int i = 0; i < items.size(); i++) {
            readItem(items.get(i), "input[" + i + "]", system, conversation);
        }
        if (conversation.isEmpty() || conversation.get(0).role() != Role.USER) {
            throw ProxyException.invalidParam("input", "'input' needs a user message before anything else.");
        }
        Optional<String> systemPrompt = system.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", system));
        TurnOptions options = new TurnOptions(List.of(),
                Fields.optionalPositiveInt(root, "max_output_tokens", "max_output_tokens"), effort(root),
                outputSchema(root));
        Turn turn = new Turn(model, systemPrompt, Message.mergeConsecutive(conversation))
                .withTools(OpenAiTools.read(json, root, OpenAiTools.Shape.RESPONSES))
                .withOptions(options);
        return new ResponsesRequest(turn, requested, Fields.flag(root, "stream", "stream", false), echo(root),
                new ResponsesRequest.Keeping(caller, previous, Json.writeString(json, items)), reasoning(root));
    }

    /** The request's input as items: a string is one user message. */
    private ArrayNode items(JsonNode input) {
        if (input.isTextual()) {
            ArrayNode items = json.createArrayNode();
            items.addObject().put("type", "message").put("role", "user").put("content", input.textValue());
            return items;
        }
        if (input.isArray()) {
            return (ArrayNode) input;
        }
        throw ProxyException.invalidParam("input", "'input' must be a string or an array of items.");
    }

    /**
     * The items of the stored chain that ends at {@code id}, oldest first.
     *
     * @throws ProxyException 400 {@code previous_response_not_found}, as the API answers (clients such as Codex look
     *     for that code to send the whole history instead); 503 when the database cannot be read
     */
    private List<JsonNode> history(String id, Caller caller) {
        List<StoredResponse> chain;
        try {
            chain = store.chain(id, caller).orElseThrow(() -> ProxyException.invalidParam("previous_response_id",
                    "Previous response with id '" + id + "' not found (or a response it continues was deleted or"
                            + " has expired).").withCode("previous_response_not_found"));
        } catch (StoreException e) {
            throw new ProxyException(ErrorKind.UNAVAILABLE, "Stored responses cannot be read right now ("
                    + e.getMessage() + "); send the whole conversation in 'input' instead.", "previous_response_id",
                    Duration.ofSeconds(1), e);
        }
        List<JsonNode> items = new ArrayList<>();
        for (StoredResponse response : chain) {
            Json.readOwn(json, response.input()).forEach(items::add);
            Json.readOwn(json, response.response()).path("output").forEach(items::add);
        }
        return items;
    }

    private static void refuseWhatCannotBeHonoured(JsonNode root) {
        Fields.optional(root, "conversation").ifPresent(id -> {
            throw ProxyException.invalidParam("conversation", "Conversations are not kept by this server.");
        });
        if (Fields.flag(root, "background", "background", false)) {
            throw ProxyException.invalidParam("background", "Background responses are not supported.");
        }
        Fields.optional(root, "prompt").ifPresent(prompt -> {
            throw ProxyException.invalidParam("prompt", "Stored prompt templates are not supported.");
        });
        Fields.optional(root, "top_logprobs").filter(top -> top.asInt(0) > 0)
                .ifPresent(top -> OpenAiFields.refuseLogprobs("top_logprobs"));
        Fields.optional(root, "include").filter(include -> include.toString().contains("logprobs"))
                .ifPresent(include -> OpenAiFields.refuseLogprobs("include"));
    }

    private void readItem(JsonNode item, String at, List<String> system, List<Message> conversation) {
        Fields.requireObject(item, at);
        String type = Fields.optionalString(item, "type", at + ".type").orElse("message");
        switch (type) {
            case "message" -> readMessage(item, at, system, conversation);
            case "function_call" -> conversation.add(new Message(Role.ASSISTANT, List.of(new ContentBlock.ToolUse(
                    Fields.string(item, "call_id", at + ".call_id"), Fields.string(item, "name", at + ".name"),
                    Fields.string(item, "arguments", at + ".arguments")))));
            case "function_call_output" -> conversation.add(new Message(Role.USER, List.of(new ContentBlock.ToolResult(
                    Fields.string(item, "call_id", at + ".call_id"), output(item.get("output"), at + ".output"),
                    false))));
            case "reasoning" -> {
                // earlier reasoning is not sent back to the model
            }
            default -> throw ProxyException.invalidParam(at + ".type", "Unsupported input item type '" + type
                    + "'; use message, function_call or function_call_output.");
        }
    }

    private void readMessage(JsonNode item, String at, List<String> system, List<Message> conversation) {
        String role = Fields.string(item, "role", at + ".role");
        List<ContentBlock> content = content(item.get("content"), at + ".content");
        switch (role) {
            case "system", "developer" -> system.add(text(content, at + ".content"));
            case "user" -> conversation.add(new Message(Role.USER, content));
            case "assistant" -> conversation.add(new Message(Role.ASSISTANT, content));
            default -> throw ProxyException.invalidParam(at + ".role", "Unsupported role '" + role
                    + "'; use user, assistant, system or developer.");
        }
    }

    /** A message's content: a string, or parts (input_text, output_text, input_image). */
    private List<ContentBlock> content(JsonNode content, String at) {
        if (content != null && content.isTextual()) {
            return List.of(new ContentBlock.Text(content.textValue()));
        }
        if (content == null || !content.isArray() || content.isEmpty()) {
            throw ProxyException.invalidParam(at, at + " must be a string or a non-empty array of content parts.");
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partAt = at + "[" + i + "]";
            Fields.requireObject(part, partAt);
            String type = Fields.string(part, "type", partAt + ".type");
            switch (type) {
                case "input_text", "output_text" -> blocks.add(new ContentBlock.Text(
                        Fields.string(part, "text", partAt + ".text")));
                case "refusal" -> blocks.add(new ContentBlock.Text(
                        Fields.string(part, "refusal", partAt + ".refusal")));
                case "input_image" -> blocks.add(DataUrl.image(
                        Fields.optionalString(part, "image_url", partAt + ".image_url").orElse(null),
                        partAt + ".image_url"));
                default -> throw ProxyException.invalidParam(partAt + ".type", "Unsupported content part type '"
                        + type + "'; use input_text, output_text or input_image.");
            }
        }
        return blocks;
    }

    /** A function call's output: a string, or parts of text and images. */
    private List<ContentBlock> output(JsonNode output, String at) {
        if (output != null && output.isTextual()) {
            return List.of(new ContentBlock.Text(output.textValue()));
        }
        return content(output, at);
    }

    private static String text(List<ContentBlock> content, String at) {
        StringBuilder text = new StringBuilder();
        for (ContentBlock block : content) {
            if (!(block instanceof ContentBlock.Text part)) {
                throw ProxyException.invalidParam(at, at + ": a system message takes text only.");
            }
            text.append(part.text());
        }
        return text.toString();
    }

    private static Optional<Effort> effort(JsonNode root) {
        if (Fields.optional(root, "reasoning").isEmpty()) {
            return Optional.empty();
        }
        JsonNode reasoning = Fields.object(root, "reasoning", "reasoning");
        return Fields.optionalString(reasoning, "effort", "reasoning.effort")
                .map(level -> OpenAiFields.effort(level, "reasoning.effort"));
    }

    /** {@code reasoning.summary} ({@code auto}, {@code concise} or {@code detailed}) asks for the thinking. */
    private static ReasoningText reasoning(JsonNode root) {
        JsonNode summary = root.path("reasoning").path("summary");
        if (summary.isMissingNode() || summary.isNull()) {
            return ReasoningText.HIDDEN;
        }
        return switch (summary.asText()) {
            case "auto", "concise", "detailed" -> ReasoningText.SHOWN;
            default -> throw ProxyException.invalidParam("reasoning.summary", "'reasoning.summary' must be auto,"
                    + " concise or detailed.");
        };
    }

    /** {@code text.format}: {@code json_schema} with its schema, {@code json_object}, or {@code text}. */
    private static Optional<String> outputSchema(JsonNode root) {
        Optional<JsonNode> format = Fields.optional(root.path("text"), "format");
        if (format.isEmpty()) {
            return Optional.empty();
        }
        Fields.requireObject(format.get(), "text.format");
        return OpenAiFields.outputSchema(Fields.string(format.get(), "type", "text.format.type"),
                format.get().get("schema"), "text.format");
    }

    private static ResponsesRequest.ResponseSettings echo(JsonNode root) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode text = Fields.optional(root, "text").orElseGet(() -> {
            var defaultText = nodes.objectNode();
            defaultText.putObject("format").put("type", "text");
            return defaultText;
        });
        return new ResponsesRequest.ResponseSettings(
                root.path("instructions").isMissingNode() ? nodes.nullNode() : root.get("instructions"),
                root.path("max_output_tokens").isMissingNode() ? nodes.nullNode() : root.get("max_output_tokens"),
                Fields.optional(root, "tools").orElseGet(nodes::arrayNode),
                Fields.optional(root, "tool_choice").orElseGet(() -> nodes.textNode("auto")),
                Fields.flag(root, "parallel_tool_calls", "parallel_tool_calls", true),
                text,
                Fields.optional(root, "reasoning").orElseGet(() -> {
                    var reasoning = nodes.objectNode();
                    reasoning.putNull("effort");
                    reasoning.putNull("summary");
                    return reasoning;
                }),
                Fields.flag(root, "store", "store", true),
                Fields.optional(root, "metadata").orElseGet(nodes::objectNode),
                Fields.optional(root, "temperature").orElseGet(() -> nodes.numberNode(1.0)),
                Fields.optional(root, "top_p").orElseGet(() -> nodes.numberNode(1.0)),
                root.path("user").isMissingNode() ? nodes.nullNode() : root.get("user"));
    }
}
