package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.DataUrl;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.api.OutputSchemas;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.ThinkingBudget;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads an Anthropic Messages request into a {@link Turn}, checking what the real API checks. */
public final class MessagesRequestDecoder {

    /** Which checks apply: {@code count_tokens} takes no {@code max_tokens}. */
    public enum Endpoint { MESSAGES, COUNT_TOKENS }

    private final ObjectMapper json;
    private final ModelCatalog models;
    /** The API states no limit; this one only keeps a request from making the matching slow. */
    private static final int MAX_STOP_SEQUENCES = 256;
    /** The smallest {@code thinking.budget_tokens} the API accepts. */
    private static final int MIN_THINKING_BUDGET = 1024;

    public MessagesRequestDecoder(ObjectMapper json, ModelCatalog models) {
        this.json = json;
        this.models = models;
    }

    /** @throws ProxyException (400) for anything malformed, naming the field at fault */
    public MessagesRequest decode(byte[] body, Endpoint endpoint) {
        JsonNode root = Json.parseObject(json, body);
        JsonNode modelNode = root.get("model");
        if (modelNode == null || !modelNode.isTextual()) {
            throw ProxyException.invalidParam("model", "model: Field required");
        }
        String model = models.resolve(modelNode.asText());
        if (endpoint == Endpoint.MESSAGES) {
            JsonNode maxTokens = root.get("max_tokens");
            if (maxTokens == null || maxTokens.isNull()) {
                throw ProxyException.invalidParam("max_tokens", "max_tokens: Field required");
            }
            if (!maxTokens.canConvertToInt() || !maxTokens.isIntegralNumber() || maxTokens.asInt() < 1) {
                throw ProxyException.invalidParam("max_tokens", "max_tokens: must be an integer >= 1");
            }
        }
        if (endpoint == Endpoint.MESSAGES) {
            RefusedMessagesParameters.check(root);
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray()) {
            throw ProxyException.invalidParam("messages", "messages: Field required");
        }
        if (messages.isEmpty()) {
            throw ProxyException.invalidParam("messages", "messages: at least one message is required");
        }
        List<Message> conversation = new ArrayList<>();
        List<String> systemRows = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if ("system".equals(messages.get(i).path("role").asText())) {
                // Claude Code's per-turn-control beta (the CLI sends the same upstream): instructions, not words
                // of the user, so they join the system prompt
                systemRows.add(systemRow(messages.get(i), "messages." + i));
                continue;
            }
            Message message = message(messages.get(i), "messages." + i);
            JsonNode content = messages.get(i).get("content");
            boolean finalAssistant = i == messages.size() - 1 && message.role() == Role.ASSISTANT;
            if (content.isArray() && content.isEmpty() && !finalAssistant) {
                throw ProxyException.invalidParam("messages." + i + ".content", "messages." + i
                        + ": all messages must have non-empty content except for the optional final assistant message");
            }
            if (message.role() == Role.USER && message.content().isEmpty()) {
                // only thinking blocks, which are not sent on: the model would get an empty message
                throw ProxyException.invalidParam("messages." + i + ".content", "messages." + i
                        + ": a user message needs text, image or tool_result content, not only thinking blocks");
            }
            conversation.add(message);
        }
        if (conversation.isEmpty()) {
            throw ProxyException.invalidParam("messages", "messages: at least one user message is required");
        }
        if (conversation.get(0).role() != Role.USER) {
            throw ProxyException.invalidParam("messages", "messages: the first message must use the \"user\" role");
        }
        Optional<String> system = withRows(system(root.get("system")), systemRows);
        Turn turn = new Turn(model, system, Message.mergeConsecutive(conversation))
                .withTools(AnthropicTools.read(json, root))
                .withOptions(new TurnOptions(
                        Fields.stopSequences(root, "stop_sequences", MAX_STOP_SEQUENCES, Fields.Single.REFUSED),
                        Fields.optionalPositiveInt(root, "max_tokens", "max_tokens"), effort(root),
                        outputSchema(root), thinkingBudget(root)));
        return new MessagesRequest(turn, modelNode.asText(), Fields.flag(root, "stream", "stream", false),
                thinkingBlocks(root));
    }

    /**
     * {@code thinking}: {@code enabled} with its {@code budget_tokens} (at least 1,024, as the API requires),
     * {@code adaptive} (the CLI's own setting), or {@code disabled}. Without it the CLI's setting stays.
     */
    private static ThinkingBudget thinkingBudget(JsonNode root) {
        if (Fields.optional(root, "thinking").isEmpty()) {
            return ThinkingBudget.DEFAULT;
        }
        JsonNode thinking = Fields.object(root, "thinking", "thinking");
        return switch (Fields.string(thinking, "type", "thinking.type")) {
            case "enabled" -> {
                int budget = Fields.optionalPositiveInt(thinking, "budget_tokens", "thinking.budget_tokens")
                        .orElseThrow(() -> ProxyException.invalidParam("thinking.budget_tokens",
                                "thinking.budget_tokens: required when thinking is enabled"));
                if (budget < MIN_THINKING_BUDGET) {
                    throw ProxyException.invalidParam("thinking.budget_tokens",
                            "thinking.budget_tokens: must be at least " + MIN_THINKING_BUDGET);
                }
                // as the API: thinking that may take the whole cap would leave no room for the answer
                int cap = root.path("max_tokens").asInt(Integer.MAX_VALUE);
                if (budget >= cap) {
                    throw ProxyException.invalidParam("thinking.budget_tokens",
                            "thinking.budget_tokens: must be less than max_tokens (" + cap + ")");
                }
                yield new ThinkingBudget.Tokens(budget);
            }
            case "adaptive" -> ThinkingBudget.DEFAULT;
            case "disabled" -> new ThinkingBudget.Off();
            default -> throw ProxyException.invalidParam("thinking.type",
                    "thinking.type: must be one of enabled, adaptive, disabled");
        };
    }

    private static ThinkingBlocks thinkingBlocks(JsonNode root) {
        String type = root.path("thinking").path("type").asText("");
        return type.equals("enabled") || type.equals("adaptive") ? ThinkingBlocks.SHOWN : ThinkingBlocks.HIDDEN;
    }

    /** {@code output_config.format}, or the older {@code output_format}: a {@code json_schema} and its schema. */
    private static Optional<String> outputSchema(JsonNode root) {
        String at = "output_config.format";
        Optional<JsonNode> format = Fields.optional(root.path("output_config"), "format");
        if (format.isEmpty()) {
            at = "output_format";
            format = Fields.optional(root, "output_format");
        }
        if (format.isEmpty()) {
            return Optional.empty();
        }
        Fields.requireObject(format.get(), at);
        if (!"json_schema".equals(format.get().path("type").asText())) {
            throw ProxyException.invalidParam(at + ".type", at + ".type: must be json_schema");
        }
        return Optional.of(OutputSchemas.check(format.get().get("schema"), at + ".schema"));
    }

    /** {@code output_config.effort}, the CLI's own levels. */
    private static Optional<Effort> effort(JsonNode root) {
        if (Fields.optional(root, "output_config").isEmpty()) {
            return Optional.empty();
        }
        JsonNode config = Fields.object(root, "output_config", "output_config");
        return Fields.optionalString(config, "effort", "output_config.effort").map(level -> switch (level) {
            case "low" -> Effort.LOW;
            case "medium" -> Effort.MEDIUM;
            case "high" -> Effort.HIGH;
            case "max" -> Effort.MAX;
            default -> throw ProxyException.invalidParam("output_config.effort",
                    "output_config.effort: must be one of low, medium, high, max");
        });
    }

    /** The text of a {@code role: "system"} message inside {@code messages}: a string or text blocks. */
    private static String systemRow(JsonNode message, String at) {
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray()) {
            throw ProxyException.invalidParam(at + ".content", at + ".content: must be a string or a list of blocks");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                throw ProxyException.invalidParam(at + ".content." + i, at + ".content." + i + ": must be a text block");
            }
            parts.add(block.path("text").asText());
        }
        return String.join("\n\n", parts);
    }

    private static Optional<String> withRows(Optional<String> system, List<String> rows) {
        List<String> parts = new ArrayList<>();
        system.ifPresent(parts::add);
        rows.stream().filter(row -> !row.isEmpty()).forEach(parts::add);
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", parts));
    }

    private static Optional<String> system(JsonNode system) {
        if (system == null || system.isNull()) {
            return Optional.empty();
        }
        if (system.isTextual()) {
            return system.asText().isEmpty() ? Optional.empty() : Optional.of(system.asText());
        }
        if (!system.isArray()) {
            throw ProxyException.invalidParam("system", "system: must be a string or an array of text blocks");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                throw ProxyException.invalidParam("system." + i, "system." + i + ": must be a text block");
            }
            parts.add(block.path("text").asText());
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", parts));
    }

    private Message message(JsonNode message, String at) {
        if (!message.isObject()) {
            throw ProxyException.invalidParam(at, at + ": must be an object");
        }
        Role role = switch (message.path("role").asText("")) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            default -> throw ProxyException.invalidParam(at + ".role",
                    at + ".role: Input should be 'user' or 'assistant'");
        };
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            throw ProxyException.invalidParam(at + ".content", at + ".content: Field required");
        }
        if (content.isTextual()) {
            return new Message(role, List.of(new ContentBlock.Text(content.asText())));
        }
        if (!content.isArray()) {
            throw ProxyException.invalidParam(at + ".content", at + ".content: must be a string or a list of blocks");
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            block(content.get(i), at + ".content." + i, role, blocks);
        }
        return new Message(role, blocks);
    }

    /** @param role who wrote the message: tool calls belong to the assistant, tool results to the user */
    private void block(JsonNode block, String at, Role role, List<ContentBlock> into) {
        Fields.requireObject(block, at);
        String type = block.path("type").asText("");
        switch (type) {
            case "text" -> {
                if (!block.path("text").isTextual()) {
                    throw ProxyException.invalidParam(at + ".text", at + ".text: Field required");
                }
                into.add(new ContentBlock.Text(block.path("text").asText()));
            }
            case "image" -> into.add(image(block.path("source"), at + ".source"));
            case "tool_use" -> {
                if (role != Role.ASSISTANT) {
                    throw ProxyException.invalidParam(at + ".type",
                            at + ": tool_use blocks can only appear in assistant messages");
                }
                into.add(new ContentBlock.ToolUse(Fields.string(block, "id", at + ".id"),
                        Fields.string(block, "name", at + ".name"),
                        Fields.object(block, "input", at + ".input").toString()));
            }
            case "tool_result" -> {
                if (role != Role.USER) {
                    throw ProxyException.invalidParam(at + ".type",
                            at + ": tool_result blocks can only appear in user messages");
                }
                List<ContentBlock> result = new ArrayList<>();
                Optional<JsonNode> content = Fields.optional(block, "content");
                if (content.isPresent() && content.get().isTextual()) {
                    result.add(new ContentBlock.Text(content.get().asText()));
                } else if (content.isPresent() && content.get().isArray()) {
                    for (int i = 0; i < content.get().size(); i++) {
                        resultPart(content.get().get(i), at + ".content." + i, result);
                    }
                } else if (content.isPresent()) {
                    throw ProxyException.invalidParam(at + ".content",
                            at + ".content: must be a string or a list of text and image blocks");
                }
                into.add(new ContentBlock.ToolResult(Fields.string(block, "tool_use_id", at + ".tool_use_id"), result,
                        Fields.flag(block, "is_error", at + ".is_error", false)));
            }
            case "thinking", "redacted_thinking" -> {
                // earlier reasoning is not sent back to the model
            }
            default -> throw ProxyException.invalidParam(at + ".type", at + ".type: unsupported content block type '"
                    + type + "'; this server accepts text, image, tool_use and tool_result");
        }
    }

    /** What a tool result may hold: text and images. */
    private void resultPart(JsonNode part, String at, List<ContentBlock> into) {
        Fields.requireObject(part, at);
        String type = part.path("type").asText("");
        if (!type.equals("text") && !type.equals("image")) {
            throw ProxyException.invalidParam(at + ".type",
                    at + ".type: a tool result holds text and image blocks, not '" + type + "'");
        }
        block(part, at, Role.USER, into);
    }

    private static ContentBlock.Image image(JsonNode source, String at) {
        Fields.requireObject(source, at);
        String sourceType = source.path("type").asText("");
        if (!"base64".equals(sourceType)) {
            throw ProxyException.invalidParam(at + ".type",
                    at + ".type: only base64 image sources are supported here, not '" + sourceType + "'");
        }
        return DataUrl.image(Fields.string(source, "media_type", at + ".media_type"),
                Fields.string(source, "data", at + ".data"), at);
    }
}
