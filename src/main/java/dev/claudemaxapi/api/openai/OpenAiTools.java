package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Fields;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.api.ToolNames;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Tool;
import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Tools;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}, in either OpenAI shape: chat
 * completions nests a function's fields under {@code function}, the Responses API has them on the tool itself.
 */
final class OpenAiTools {
    /** Where a function's fields are. */
    enum Shape {
        CHAT, RESPONSES;

        JsonNode function(JsonNode holder, String at) {
            return this == CHAT ? Fields.object(holder, "function", at + ".function") : holder;
        }

        String at(String at) {
            return this == CHAT ? at + ".function" : at;
        }
    }

    /** What a function without {@code parameters} takes, as OpenAI defines it: nothing. */
    private static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

    private OpenAiTools() {}

    static Tools read(ObjectMapper json, JsonNode root) {
        return read(json, root, Shape.CHAT);
    }

    static Tools read(ObjectMapper json, JsonNode root, Shape shape) {
        List<Tool> offered = new ArrayList<>();
        JsonNode tools = Fields.optionalArray(root, "tools", "tools").orElse(json.createArrayNode());
        for (int i = 0; i < tools.size(); i++) {
            offered.add(tool(json, tools.get(i), "tools[" + i + "]", shape));
        }
        ToolNames.distinct(offered, "tools");
        Tools.Parallel parallel = Fields.flag(root, "parallel_tool_calls", "parallel_tool_calls", true)
                ? Tools.Parallel.ALLOWED : Tools.Parallel.ONE_AT_A_TIME;
        return new Tools(offered, choice(root, offered, shape), parallel);
    }

    private static ToolChoice choice(JsonNode root, List<Tool> offered, Shape shape) {
        JsonNode choice = Fields.optional(root, "tool_choice").orElse(null);
        if (choice == null) {
            return ToolChoice.AUTO;
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> new ToolChoice.Any();
                default -> throw ProxyException.invalidParam("tool_choice",
                        "tool_choice must be 'none', 'auto', 'required' or a named function.");
            };
        }
        Fields.requireObject(choice, "tool_choice");
        if (!"function".equals(Fields.string(choice, "type", "tool_choice.type"))) {
            throw ProxyException.invalidParam("tool_choice.type", "tool_choice.type must be 'function'.");
        }
        String nameAt = shape.at("tool_choice") + ".name";
        String name = Fields.string(shape.function(choice, "tool_choice"), "name", nameAt);
        ToolNames.requireOffered(name, offered, nameAt);
        return new ToolChoice.Named(name);
    }

    private static Tool tool(ObjectMapper json, JsonNode tool, String at, Shape shape) {
        Fields.requireObject(tool, at);
        String type = Fields.string(tool, "type", at + ".type");
        if (!type.equals("function")) {
            throw ProxyException.invalidParam(at + ".type", at + ".type: only 'function' tools are supported.");
        }
        JsonNode function = shape.function(tool, at);
        String in = shape.at(at);
        String name = ToolNames.check(Fields.string(function, "name", in + ".name"), in + ".name");
        // strict is accepted: the schema reaches the model as written either way
        Fields.optional(function, "strict").filter(strict -> !strict.isBoolean()).ifPresent(strict -> {
            throw ProxyException.invalidParam(in + ".strict", in + ".strict must be a boolean.");
        });
        String schema = Fields.optional(function, "parameters").map(parameters -> {
            Fields.requireObject(parameters, in + ".parameters");
            return Json.writeString(json, parameters);
        }).orElse(NO_PARAMETERS);
        return new Tool(name, Fields.optionalString(function, "description", in + ".description"), schema);
    }
}
