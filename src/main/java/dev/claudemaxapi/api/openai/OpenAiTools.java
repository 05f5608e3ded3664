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

/** Reads a chat completions request's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}. */
final class OpenAiTools {
    /** What a function without {@code parameters} takes, as OpenAI defines it: nothing. */
    private static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

    private OpenAiTools() {}

    static Tools read(ObjectMapper json, JsonNode root) {
        List<Tool> offered = new ArrayList<>();
        JsonNode tools = Fields.optionalArray(root, "tools", "tools").orElse(json.createArrayNode());
        for (int i = 0; i < tools.size(); i++) {
            offered.add(tool(json, tools.get(i), "tools[" + i + "]"));
        }
        ToolNames.distinct(offered, "tools");
        Tools.Parallel parallel = Fields.flag(root, "parallel_tool_calls", "parallel_tool_calls", true)
                ? Tools.Parallel.ALLOWED : Tools.Parallel.ONE_AT_A_TIME;
        return new Tools(offered, choice(root, offered), parallel);
    }

    private static ToolChoice choice(JsonNode root, List<Tool> offered) {
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
        String name = Fields.string(Fields.object(choice, "function", "tool_choice.function"), "name",
                "tool_choice.function.name");
        ToolNames.requireOffered(name, offered, "tool_choice.function.name");
        return new ToolChoice.Named(name);
    }

    private static Tool tool(ObjectMapper json, JsonNode tool, String at) {
        Fields.requireObject(tool, at);
        String type = Fields.string(tool, "type", at + ".type");
        if (!type.equals("function")) {
            throw ProxyException.invalidParam(at + ".type", at + ".type: only 'function' tools are supported.");
        }
        JsonNode function = Fields.object(tool, "function", at + ".function");
        String name = ToolNames.check(Fields.string(function, "name", at + ".function.name"), at + ".function.name");
        // strict is accepted: the schema reaches the model as written either way
        Fields.flag(function, "strict", at + ".function.strict", false);
        String schema = Fields.optional(function, "parameters").map(parameters -> {
            Fields.requireObject(parameters, at + ".function.parameters");
            return Json.writeString(json, parameters);
        }).orElse(NO_PARAMETERS);
        return new Tool(name, Fields.optionalString(function, "description", at + ".function.description"), schema);
    }
}
