package dev.claudemaxapi.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.PlanWindow;
import dev.claudemaxapi.core.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One NDJSON line of the CLI's {@code stream-json} output, reduced to what the proxy acts on. Upstream SSE events
 * arrive wrapped in {@code stream_event} lines and are unwrapped into their own variants here.
 * {@code subAgent} marks lines with a non-null {@code parent_tool_use_id}: they are not part of the answer.
 */
public sealed interface CliLine {

    record Init(String sessionId, String model) implements CliLine {}

    record ApiRetry(int attempt, Integer errorStatus, String error, long retryDelayMs) implements CliLine {}

    /** {@code blockType} is null for blocks the proxy does not forward (tool use and the like). */
    record UpstreamMessageStart(boolean subAgent, String id, String model, Usage usage) implements CliLine {}

    /** {@code toolCall} is set for a tool_use block: the upstream's id and (MCP-prefixed) name. */
    record UpstreamBlockStart(boolean subAgent, int index, BlockType blockType, Optional<ToolCall> toolCall)
            implements CliLine {}

    record ToolCall(String id, String upstreamName) {}

    /** {@code blockType} is null for deltas the proxy does not forward (signatures, tool input). */
    record UpstreamDelta(boolean subAgent, int index, BlockType blockType, String text) implements CliLine {}

    record UpstreamBlockStop(boolean subAgent, int index) implements CliLine {}

    /** The signature of a thinking block, which comes after its text. */
    record UpstreamSignature(boolean subAgent, int index, String signature) implements CliLine {}

    record UpstreamMessageDelta(boolean subAgent, String stopReason, Usage usage) implements CliLine {}

    /** {@code abandoned}: the CLI gave up on this stream and will retry it. */
    record UpstreamMessageStop(boolean subAgent, boolean abandoned) implements CliLine {}

    /** A completed block (or, after a non-streaming fallback, a whole message) of the answer. */
    record Assistant(boolean subAgent, String messageId, String model, List<AnswerBlock> blocks) implements CliLine {}

    /** The CLI's synthetic message for a failed API call: {@code error} is e.g. {@code rate_limit}. */
    record ApiErrorMessage(String text, String error, Integer apiErrorStatus) implements CliLine {}

    /** The last line of a turn; {@code totalCostUsd} is the process's cost so far, summed over all its turns. */
    record Result(
            boolean isError,
            String subtype,
            String resultText,
            String stopReason,
            String terminalReason,
            Integer apiErrorStatus,
            Usage usage,
            List<String> errors,
            String sessionId,
            Optional<String> structuredOutput,
            OptionalDouble totalCostUsd) implements CliLine {

        /** A result without structured output: the turn ran without a response schema. */
        public Result(boolean isError, String subtype, String resultText, String stopReason, String terminalReason,
                Integer apiErrorStatus, Usage usage, List<String> errors, String sessionId) {
            this(isError, subtype, resultText, stopReason, terminalReason, apiErrorStatus, usage, errors, sessionId,
                    Optional.empty());
        }

        /** A result without a reported cost. */
        public Result(boolean isError, String subtype, String resultText, String stopReason, String terminalReason,
                Integer apiErrorStatus, Usage usage, List<String> errors, String sessionId,
                Optional<String> structuredOutput) {
            this(isError, subtype, resultText, stopReason, terminalReason, apiErrorStatus, usage, errors, sessionId,
                    structuredOutput, OptionalDouble.empty());
        }
    }

    /**
     * A JSON-RPC message of an in-band MCP server, sent by the CLI as a control request that the host answers with
     * a {@code control_response} carrying the same {@code requestId}.
     */
    record McpRequest(String requestId, String serverName, McpMessage message) implements CliLine {}

    /** @param id the JSON-RPC id (a number or a string), absent for a notification */
    record McpMessage(Optional<JsonNode> id, String method, JsonNode params) {}

    /** {@code rewound}: the answer to a {@code rewind_conversation} request said the conversation was rewound. */
    record ControlResponse(String requestId, boolean success, String error, boolean rewound) implements CliLine {}

    /**
     * A {@code rate_limit_event}: the plan window the upstream's headers name, as the CLI read them.
     *
     * @param resetsAt epoch seconds
     */
    record PlanLimit(String type, String status, Optional<Long> resetsAt, OptionalDouble utilization,
            Optional<String> overageStatus, boolean usingOverage) implements CliLine {
        public PlanWindow window(Instant observedAt) {
            return new PlanWindow(type, status, resetsAt.map(Instant::ofEpochSecond), utilization, overageStatus,
                    usingOverage, observedAt);
        }
    }

    /** Anything else: status lines, tool results, replays. */
    record Other(String type) implements CliLine {}

    /**
     * A block of an {@link Assistant} line: text, thinking, or a tool call, whose {@code text} is its input JSON
     * and {@code toolCall} its id and name.
     */
    record AnswerBlock(BlockType type, String text, Optional<ToolCall> toolCall) {
        AnswerBlock(BlockType type, String text) {
            this(type, text, Optional.empty());
        }
    }
}
