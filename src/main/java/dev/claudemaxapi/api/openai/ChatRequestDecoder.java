package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.DataUrl;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads an OpenAI chat completions request into a {@link Turn}. */
public final class ChatRequestDecoder {
    private final ObjectMapper json;
    private final ModelCatalog models;

    public ChatRequestDecoder(ObjectMapper json, ModelCatalog models) {
        this.json = json;
        this.models = models;
    }

    /** @throws ProxyException (400) for anything malformed, naming the field at fault */
    public ChatRequest decode(byte[] body) {
        JsonNode root = Json.parseObject(json, body);
        JsonNode modelNode = root.get("model");
        if (modelNode == null || !modelNode.isTextual()) {
            throw ProxyException.invalidParam("model", "'model' is required and must be a string.");
        }
        String requested = modelNode.asText();
        String model = models.resolve(requested);
        Optional<JsonNode> n = Fields.optional(root, "n");
        if (n.isPresent() && !(n.get().isIntegralNumber() && n.get().canConvertToInt() && n.get().intValue() == 1)) {
            throw ProxyException.invalidParam("n", "Only n=1 is supported.");
        }
        RefusedChatParameters.check(root);
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ProxyException.invalidParam("messages", "'messages' must be a non-empty array.");
        }
        List<String> system = new ArrayList<>();
        List<Message> conversation = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            readMessage(messages.get(i), "messages[" + i + "]", system, conversation);
        }
        if (conversation.isEmpty()) {
            throw ProxyException.invalidParam("messages", "'messages' needs at least one user message.");
        }
        boolean stream = Fields.flag(root, "stream", "stream", false);
        boolean includeUsage = OpenAiFields.includeUsage(root);
        Optional<String> systemPrompt = system.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", system));
        Turn turn = new Turn(model, systemPrompt, Message.mergeConsecutive(conversation))
                .withTools(OpenAiTools.read(json, root))
                .withOptions(options(root));
        return new ChatRequest(turn, requested, stream, includeUsage, OpenAiFields.chatReasoning(root));
    }

    /**
     * {@code stop} (a string or up to 4), the output cap ({@code max_completion_tokens}, else {@code max_tokens}), and
     * {@code reasoning_effort} on the CLI's levels: the lowest two below {@code low} are {@code low}, {@code xhigh}
     * is {@code max}.
     */
    private static TurnOptions options(JsonNode root) {
        List<String> stops = Fields.stopSequences(root, "stop", 4, Fields.Single.ALLOWED);
        OptionalInt cap = Fields.optionalPositiveInt(root, "max_completion_tokens", "max_completion_tokens");
        OptionalInt legacyCap = Fields.optionalPositiveInt(root, "max_tokens", "max_tokens");
        Optional<Effort> effort = Fields.optionalString(root, "reasoning_effort", "reasoning_effort")
                .map(level -> OpenAiFields.effort(level, "reasoning_effort"));
        return new TurnOptions(stops, cap.isPresent() ? cap : legacyCap, effort, outputSchema(root));
    }

    /**
     * {@code response_format}: {@code json_schema} gives its schema, {@code json_object} any JSON object,
     * {@code text} none.
     */
    private static Optional<String> outputSchema(JsonNode root) {
        if (Fields.optional(root, "response_format").isEmpty()) {
            return Optional.empty();
        }
        JsonNode format = Fields.object(root, "response_format", "response_format");
        String type = Fields.string(format, "type", "response_format.type");
        if (type.equals("json_schema")) {
            // here the schema sits one level down, under json_schema
            JsonNode spec = Fields.object(format, "json_schema", "response_format.json_schema");
            return OpenAiFields.outputSchema(type, spec.get("schema"), "response_format.json_schema");
        }
        return OpenAiFields.outputSchema(type, null, "response_format");
    }

    private void readMessage(JsonNode message, String at, List<String> system, List<Message> conversation) {
        if (!message.isObject()) {
            throw ProxyException.invalidParam(at, at + " must be an object.");
        }
        String role = Fields.string(message, "role", at + ".role");
        switch (role) {
            case "system", "developer" -> system.add(text(message.get("content"), at + ".content"));
            case "user" -> conversation.add(new Message(Role.USER, userContent(message.get("content"), at + ".content")));
            case "assistant" -> conversation.add(new Message(Role.ASSISTANT, assistantContent(message, at)));
            case "tool", "function" -> {
                String idField = role.equals("tool") ? "tool_call_id" : "name";
                String id = Fields.string(message, idField, at + "." + idField);
                List<ContentBlock> result = List.of(new ContentBlock.Text(text(message.get("content"), at + ".content")));
                conversation.add(new Message(Role.USER, List.of(new ContentBlock.ToolResult(id, result, false))));
            }
            default -> throw ProxyException.invalidParam(at + ".role",
                    "Unsupported role '" + role + "' in " + at + "; use system, developer, user, assistant or tool.");
        }
    }

    private List<ContentBlock> userContent(JsonNode content, String at) {
        if (content == null || content.isNull()) {
            throw ProxyException.invalidParam(at, at + " is required.");
        }
        if (content.isTextual()) {
            return List.of(new ContentBlock.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ProxyException.invalidParam(at, at + " must be a string or an array of content parts.");
        }
        if (content.isEmpty()) {
            throw ProxyException.invalidParam(at, at + " must not be an empty array.");
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partAt = at + "[" + i + "]";
            Fields.requireObject(part, partAt);
            switch (part.path("type").asText("")) {
                case "text" -> blocks.add(new ContentBlock.Text(requireText(part, "text", partAt)));
                case "image_url" -> {
                    JsonNode url = part.path("image_url");
                    String value = url.isTextual() ? url.asText()
                            : url.isObject() ? Fields.optionalString(url, "url", partAt + ".image_url.url").orElse(null)
                            : null;
                    blocks.add(DataUrl.image(value, partAt + ".image_url.url"));
                }
                default -> throw ProxyException.invalidParam(partAt + ".type", "Unsupported content part type '"
                        + part.path("type").asText("") + "'; use text or image_url.");
            }
        }
        return blocks;
    }

    private List<ContentBlock> assistantContent(JsonNode message, String at) {
        List<ContentBlock> blocks = new ArrayList<>();
        JsonNode content = message.get("content");
        if (content != null && !content.isNull()) {
            if (content.isTextual()) {
                if (!content.asText().isEmpty()) {
                    blocks.add(new ContentBlock.Text(content.asText()));
                }
            } else {
                blocks.add(new ContentBlock.Text(text(content, at + ".content")));
            }
        }
        JsonNode calls = Fields.optionalArray(message, "tool_calls", at + ".tool_calls").orElse(json.createArrayNode());
        for (int i = 0; i < calls.size(); i++) {
            String callAt = at + ".tool_calls[" + i + "]";
            Fields.requireObject(calls.get(i), callAt);
            JsonNode function = Fields.object(calls.get(i), "function", callAt + ".function");
            blocks.add(new ContentBlock.ToolUse(Fields.string(calls.get(i), "id", callAt + ".id"),
                    Fields.string(function, "name", callAt + ".function.name"),
                    Fields.optionalString(function, "arguments", callAt + ".function.arguments").orElse("{}")));
        }
        if (blocks.isEmpty()) {
            blocks.add(new ContentBlock.Text(""));
        }
        return blocks;
    }

    /** Text content: a string, or an array of text (and refusal) parts joined. */
    private static String text(JsonNode content, String at) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw ProxyException.invalidParam(at, at + " must be a string or an array of text parts.");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partAt = at + "[" + i + "]";
            Fields.requireObject(part, partAt);
            String type = part.path("type").asText("");
            if (!type.equals("text") && !type.equals("refusal")) {
                throw ProxyException.invalidParam(partAt + ".type", "Only text parts are allowed in " + at + ".");
            }
            out.append(requireText(part, type, partAt));
        }
        return out.toString();
    }

    private static String requireText(JsonNode part, String field, String at) {
        JsonNode value = part.get(field);
        if (value == null || !value.isTextual()) {
            throw ProxyException.invalidParam(at + "." + field, at + "." + field + " must be a string.");
        }
        return value.asText();
    }
}
