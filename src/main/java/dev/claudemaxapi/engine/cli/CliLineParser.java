package dev.claudemaxapi.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Reads the CLI's NDJSON lines. The CLI's schema is not ours, so every field is read leniently. */
public final class CliLineParser {
    private final ObjectMapper json;

    public CliLineParser(ObjectMapper json) {
        this.json = json;
    }

    /** @throws JsonProcessingException when the line is not JSON (the CLI printed something else) */
    public CliLine parse(String line) throws JsonProcessingException {
        JsonNode node = json.readTree(line);
        String type = node.path("type").asText("");
        boolean subAgent = !node.path("parent_tool_use_id").isNull() && !node.path("parent_tool_use_id").isMissingNode();
        return switch (type) {
            case "system" -> system(node);
            case "stream_event" -> streamEvent(node.path("event"), subAgent, node.has("abandoned_blocks"));
            case "assistant" -> assistant(node, subAgent);
            case "result" -> result(node);
            case "control_response" -> controlResponse(node.path("response"));
            case "control_request" -> controlRequest(node);
            // without a window type (the upstream sent no plan headers) there is nothing to keep
            case "rate_limit_event" -> node.path("rate_limit_info").path("rateLimitType").isTextual()
                    ? planLimit(node.path("rate_limit_info")) : new CliLine.Other(type);
            default -> new CliLine.Other(type);
        };
    }

    private static CliLine planLimit(JsonNode info) {
        return new CliLine.PlanLimit(info.path("rateLimitType").asText(), info.path("status").asText("unknown"),
                info.path("resetsAt").isNumber() ? Optional.of(info.path("resetsAt").asLong()) : Optional.empty(),
                info.path("utilization").isNumber() ? OptionalDouble.of(info.path("utilization").asDouble())
                        : OptionalDouble.empty(),
                info.path("overageStatus").isTextual() ? Optional.of(info.path("overageStatus").asText())
                        : Optional.empty(),
                info.path("isUsingOverage").asBoolean(false));
    }

    private static CliLine system(JsonNode node) {
        return switch (node.path("subtype").asText("")) {
            case "init" -> new CliLine.Init(text(node, "session_id"), text(node, "model"));
            case "api_retry" -> new CliLine.ApiRetry(node.path("attempt").asInt(),
                    integer(node, "error_status"), text(node, "error"), node.path("retry_delay_ms").asLong());
            default -> new CliLine.Other("system/" + node.path("subtype").asText(""));
        };
    }

    private static CliLine streamEvent(JsonNode event, boolean subAgent, boolean abandoned) {
        return switch (event.path("type").asText("")) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                yield new CliLine.UpstreamMessageStart(subAgent, text(message, "id"), text(message, "model"),
                        usage(message.path("usage")));
            }
            case "content_block_start" -> {
                JsonNode block = event.path("content_block");
                BlockType type = blockType(block.path("type").asText(""));
                yield new CliLine.UpstreamBlockStart(subAgent, event.path("index").asInt(), type,
                        type == BlockType.TOOL_USE
                                ? Optional.of(new CliLine.ToolCall(text(block, "id"), text(block, "name")))
                                : Optional.empty());
            }
            case "content_block_delta" -> delta(event, subAgent);
            case "content_block_stop" -> new CliLine.UpstreamBlockStop(subAgent, event.path("index").asInt());
            case "message_delta" -> new CliLine.UpstreamMessageDelta(subAgent,
                    text(event.path("delta"), "stop_reason"), usage(event.path("usage")));
            case "message_stop" -> new CliLine.UpstreamMessageStop(subAgent, abandoned);
            default -> new CliLine.Other("stream_event/" + event.path("type").asText(""));
        };
    }

    private static CliLine delta(JsonNode event, boolean subAgent) {
        JsonNode delta = event.path("delta");
        int index = event.path("index").asInt();
        return switch (delta.path("type").asText("")) {
            case "text_delta" -> new CliLine.UpstreamDelta(subAgent, index, BlockType.TEXT, text(delta, "text"));
            case "thinking_delta" ->
                    new CliLine.UpstreamDelta(subAgent, index, BlockType.THINKING, text(delta, "thinking"));
            case "input_json_delta" ->
                    new CliLine.UpstreamDelta(subAgent, index, BlockType.TOOL_USE, text(delta, "partial_json"));
            case "signature_delta" -> new CliLine.UpstreamSignature(subAgent, index, text(delta, "signature"));
            default -> new CliLine.UpstreamDelta(subAgent, index, null, "");
        };
    }

    private static CliLine assistant(JsonNode node, boolean subAgent) {
        JsonNode message = node.path("message");
        if (node.path("isApiErrorMessage").asBoolean(false) || node.path("is_api_error_message").asBoolean(false)
                || "<synthetic>".equals(message.path("model").asText())) {
            StringBuilder text = new StringBuilder();
            for (JsonNode block : message.path("content")) {
                text.append(block.path("text").asText(""));
            }
            return new CliLine.ApiErrorMessage(text.toString(), text(node, "error"), integer(node, "api_error_status"));
        }
        List<CliLine.AnswerBlock> blocks = new ArrayList<>();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> blocks.add(new CliLine.AnswerBlock(BlockType.TEXT, text(block, "text")));
                case "thinking" -> blocks.add(new CliLine.AnswerBlock(BlockType.THINKING, text(block, "thinking")));
                case "tool_use" -> blocks.add(new CliLine.AnswerBlock(BlockType.TOOL_USE,
                        block.path("input").toString(),
                        Optional.of(new CliLine.ToolCall(text(block, "id"), text(block, "name")))));
                default -> {
                    // other blocks are not forwarded to API clients
                }
            }
        }
        return new CliLine.Assistant(subAgent, text(message, "id"), text(message, "model"), blocks);
    }

    private static CliLine result(JsonNode node) {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : node.path("errors")) {
            errors.add(error.asText());
        }
        return new CliLine.Result(
                node.path("is_error").asBoolean(false),
                text(node, "subtype"),
                text(node, "result"),
                text(node, "stop_reason"),
                text(node, "terminal_reason"),
                integer(node, "api_error_status"),
                usage(node.path("usage")),
                errors,
                text(node, "session_id"),
                // the answer of a turn with a response schema, as the CLI validated it
                Optional.of(node.path("structured_output")).filter(value -> !value.isMissingNode() && !value.isNull())
                        .map(JsonNode::toString),
                node.path("total_cost_usd").isNumber() ? OptionalDouble.of(node.path("total_cost_usd").asDouble())
                        : OptionalDouble.empty());
    }

    private static CliLine controlResponse(JsonNode response) {
        boolean success = "success".equals(response.path("subtype").asText());
        return new CliLine.ControlResponse(text(response, "request_id"), success, text(response, "error"),
                response.path("response").path("rewound").asBoolean(false));
    }

    /** Only MCP messages are control requests the host must answer; others are read as {@link CliLine.Other}. */
    private static CliLine controlRequest(JsonNode node) {
        JsonNode request = node.path("request");
        if (!"mcp_message".equals(request.path("subtype").asText())) {
            return new CliLine.Other("control_request/" + request.path("subtype").asText(""));
        }
        JsonNode message = request.path("message");
        JsonNode id = message.get("id");
        return new CliLine.McpRequest(text(node, "request_id"), text(request, "server_name"),
                new CliLine.McpMessage(id == null || id.isNull() ? Optional.empty() : Optional.of(id),
                        message.path("method").asText(""), message.path("params")));
    }

    private static BlockType blockType(String wire) {
        return switch (wire) {
            case "text" -> BlockType.TEXT;
            case "thinking" -> BlockType.THINKING;
            case "tool_use" -> BlockType.TOOL_USE;
            default -> null;
        };
    }

    static Usage usage(JsonNode usage) {
        return new Usage(
                usage.path("input_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                usage.path("cache_creation_input_tokens").asLong(0),
                usage.path("cache_read_input_tokens").asLong(0));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.canConvertToInt() ? null : value.asInt();
    }
}
