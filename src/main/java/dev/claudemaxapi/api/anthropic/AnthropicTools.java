package dev.claudemaxapi.api.anthropic;

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

/** Reads a Messages request's {@code tools} and {@code tool_choice}. */
final class AnthropicTools {
    private AnthropicTools() {}

    static Tools read(ObjectMapper json, JsonNode root) {
        List<Tool> offered = new ArrayList<>();
        JsonNode tools = Fields.optionalArray(root, "tools", "tools").orElse(json.createArrayNode());
        for (int i = 0; i < tools.size(); i++) {
            offered.add(tool(json, tools.get(i), "tools." + i));
        }
        ToolNames.distinct(offered, "tools");
        if (Fields.optional(root, "tool_choice").isEmpty()) {
            return new Tools(offered, ToolChoice.AUTO, Tools.Parallel.ALLOWED);
        }
        JsonNode choice = Fields.object(root, "tool_choice", "tool_choice");
        Tools.Parallel parallel = Fields.flag(choice, "disable_parallel_tool_use",
                "tool_choice.disable_parallel_tool_use", false) ? Tools.Parallel.ONE_AT_A_TIME : Tools.Parallel.ALLOWED;
        return new Tools(offered, switch (Fields.string(choice, "type", "tool_choice.type")) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "any" -> new ToolChoice.Any();
            case "tool" -> {
                String name = Fields.string(choice, "name", "tool_choice.name");
                ToolNames.requireOffered(name, offered, "tool_choice.name");
                yield new ToolChoice.Named(name);
            }
            default -> throw ProxyException.invalidParam("tool_choice.type",
                    "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
        }, parallel);
    }

    /** A client tool; the server tools of the real API (web search, code execution, ...) are not offered here. */
    private static Tool tool(ObjectMapper json, JsonNode tool, String at) {
        Fields.requireObject(tool, at);
        String type = Fields.optionalString(tool, "type", at + ".type").orElse("custom");
        if (!type.equals("custom")) {
            throw ProxyException.invalidParam(at + ".type", at + ".type: '" + type
                    + "' is a server tool of the Anthropic API; this server runs only the client's own tools");
        }
        String name = ToolNames.check(Fields.string(tool, "name", at + ".name"), at + ".name");
        JsonNode schema = Fields.object(tool, "input_schema", at + ".input_schema");
        return new Tool(name, Fields.optionalString(tool, "description", at + ".description"),
                Json.writeString(json, schema));
    }
}
