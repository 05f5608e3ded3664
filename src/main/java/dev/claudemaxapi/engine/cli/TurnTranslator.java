package dev.claudemaxapi.engine.cli;

import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.StopSequenceMatcher;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.core.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns the CLI lines of one turn into one clean event stream for the client.
 *
 * <p>The CLI may call the upstream several times in one turn: it retries a stream that broke (the deltas start again
 * from the beginning, after a {@code message_stop} marked {@code abandoned_blocks}), it may fall back to a
 * non-streaming call (the text then arrives only in the {@code assistant} line), and it continues after a tool call
 * it answered itself. Text already sent to the client cannot be taken back, so a retried stream is matched against
 * what was sent and only what goes beyond it is forwarded. Blocks are closed lazily (when the next one opens or the
 * turn ends) so a retry can still extend the last one. The turn's outcome is decided by the {@code result} line:
 * {@code is_error}, {@code api_error_status} and {@code terminal_reason}, never {@code subtype}.
 */
public final class TurnTranslator {

    private static final class ClientBlock {
        final BlockType type;
        /** What the upstream sent of this block, against which a retried stream is matched. */
        final StringBuilder sent = new StringBuilder();
        /** For a text block when the client set stop sequences: what of {@link #sent} may go out. */
        final Optional<StopSequenceMatcher> stops;
        boolean stopped;
        boolean signed;

        ClientBlock(BlockType type, List<String> stopSequences) {
            this.type = type;
            this.stops = type == BlockType.TEXT && !stopSequences.isEmpty()
                    ? Optional.of(new StopSequenceMatcher(stopSequences)) : Optional.empty();
        }
    }

    private final ToolRules rules;
    private final ClientToolCalls calls;
    private final List<String> stopSequences;
    /** Whether the answer is the JSON of a response schema, which the CLI hands over in its result line. */
    private final boolean structured;
    /** Whether each call of a client tool seen in this answer goes to the client, by its id. */
    private final Map<String, Boolean> shownCalls = new HashMap<>();
    /** Client tool calls shown from the current upstream call. */
    private int shownInCall;
    /** Whether the answer has shown the client a call. */
    private boolean showedCall;
    private int remindersLeft = 1;
    /** The answer ended before the CLI's turn (see {@link #cutShort}). */
    private boolean cutShort;
    private Optional<String> reminder = Optional.empty();
    /** Usage of the current upstream call: input from its start, output from its delta. */
    private Usage callUsage = Usage.ZERO;
    /**
     * Usage of the completed upstream calls this translator saw. The {@code result} line's usage covers the CLI's
     * whole turn, which for a tool round began in an earlier request; this covers only what this answer cost.
     */
    private Usage answerUsage = Usage.ZERO;
    private boolean sawCompletedCall;

    private final List<ClientBlock> blocks = new ArrayList<>();
    private boolean started;
    private boolean finished;
    private String model;
    private String sessionId;

    /** Where the current upstream call's blocks begin among the client's blocks. */
    private int segmentBase;
    /** Whether the last upstream call ended normally, so the next call continues rather than retries. */
    private boolean lastCallCompleted;
    private final Map<Integer, Integer> upstreamToClient = new HashMap<>();
    private final Map<Integer, Integer> replayCursor = new HashMap<>();
    private int callOrdinal;

    private String assistantMessageId;
    private int assistantOrdinal;

    private StopReason stopReason;
    private CliLine.ApiErrorMessage apiError;
    private CliLine.ApiRetry lastRetry;

    /** For a turn without client tools: any tool call is the CLI's own business. */
    public TurnTranslator(String requestedModel) {
        this(requestedModel, ToolRules.NONE, ClientToolCalls.NONE, TurnOptions.NONE);
    }

    /**
     * @param rules the turn's tool choice and parallel limit, checked on every call
     * @param calls the client's tools; a call of any other tool is the CLI's own (a tool it refuses) and is left out
     * @param options the client's stop sequences, which end the answer where the text reaches one
     */
    public TurnTranslator(String requestedModel, ToolRules rules, ClientToolCalls calls, TurnOptions options) {
        this.model = requestedModel;
        this.rules = rules;
        this.calls = calls;
        this.stopSequences = options.stopSequences();
        this.structured = options.outputSchema().isPresent();
    }

    /**
     * The reminder to send the model, once, when it replied in prose where a tool call is required: the turn then
     * goes on in the same process and this answer continues with the reply to it.
     */
    Optional<String> takeReminder() {
        Optional<String> due = reminder;
        reminder = Optional.empty();
        return due;
    }

    boolean finished() {
        return finished;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * @return the events this line adds, possibly none
     * @throws ProxyException when the line ends the turn with a failure
     */
    List<Event> accept(CliLine line) {
        List<Event> out = new ArrayList<>();
        if (cutShort) {
            // the answer ended before the CLI's turn did: the rest is not the client's
            return out;
        }
        switch (line) {
            case CliLine.Init init -> {
                sessionId = init.sessionId();
                if (init.model() != null) {
                    model = init.model();
                }
            }
            case CliLine.ApiRetry retry -> lastRetry = retry;
            case CliLine.UpstreamMessageStart start when !start.subAgent() -> messageStart(start, out);
            case CliLine.UpstreamBlockStart start when !start.subAgent() -> blockStart(start, out);
            case CliLine.UpstreamDelta delta when !delta.subAgent() -> {
                Integer client = upstreamToClient.get(delta.index());
                if (client != null && delta.blockType() != null) {
                    int cursor = replayCursor.getOrDefault(client, 0);
                    replayCursor.put(client, feed(client, cursor, delta.text(), out));
                }
            }
            case CliLine.UpstreamSignature signed when !signed.subAgent() -> {
                Integer client = upstreamToClient.get(signed.index());
                if (client != null && blocks.get(client).type == BlockType.THINKING && !blocks.get(client).signed
                        && !blocks.get(client).stopped) {
                    // once: a retried stream signs its replay again
                    blocks.get(client).signed = true;
                    out.add(new Event.BlockSignature(client, signed.signature()));
                }
            }
            case CliLine.UpstreamMessageDelta delta when !delta.subAgent() -> {
                if (delta.stopReason() != null) {
                    stopReason = StopReason.fromWire(delta.stopReason());
                }
                callUsage = new Usage(callUsage.inputTokens(), delta.usage().outputTokens(),
                        callUsage.cacheCreationInputTokens(), callUsage.cacheReadInputTokens());
            }
            case CliLine.UpstreamMessageStop stop when !stop.subAgent() -> {
                lastCallCompleted = !stop.abandoned() && stopReason != null;
                // an abandoned call that is retried was paid for too
                sawCompletedCall |= lastCallCompleted;
                answerUsage = answerUsage.plus(callUsage);
                callUsage = Usage.ZERO;
                if (lastCallCompleted && stopReason == StopReason.MAX_TOKENS) {
                    // The CLI would go on by itself ("Output token limit hit. Resume directly"), up to three times
                    // over the client's cap: the answer ends here, as the API's would.
                    cutShort(StopReason.MAX_TOKENS, out);
                } else if (lastCallCompleted && stopReason == StopReason.TOOL_USE && shownInCall > 0) {
                    // The model called the client's tools: the CLI now waits inside the calls, and the answer
                    // ends here with them. The client's next request brings the results.
                    finished = true;
                    closeOpenBlock(out);
                    out.add(new Event.MessageDelta(StopReason.TOOL_USE, answerUsage));
                    out.add(new Event.MessageStop());
                }
            }
            case CliLine.Assistant assistant when !assistant.subAgent() -> assistant(assistant, out);
            case CliLine.ApiErrorMessage error -> apiError = error;
            case CliLine.Result result -> result(result, out);
            case CliLine.ControlResponse response -> {
                if (!response.success()) {
                    throw new ProxyException(ErrorKind.UPSTREAM_FAILED,
                            "The Claude CLI refused a control request: " + response.error());
                }
            }
            default -> {
                // status lines, tool results and sub-agent traffic are not part of the answer
            }
        }
        return out;
    }

    private void messageStart(CliLine.UpstreamMessageStart start, List<Event> out) {
        if (start.model() != null) {
            model = start.model();
        }
        callUsage = start.usage();
        if (!started) {
            started = true;
            out.add(new Event.MessageStart(start.id(), model, start.usage()));
        } else if (lastCallCompleted) {
            segmentBase = blocks.size();
        }
        // else: a retry of the same call; its blocks replay from segmentBase
        lastCallCompleted = false;
        shownInCall = 0;
        stopReason = null;
        callOrdinal = 0;
        upstreamToClient.clear();
        replayCursor.clear();
    }

    private void blockStart(CliLine.UpstreamBlockStart start, List<Event> out) {
        if (start.blockType() == null || !forwarded(start.blockType(), start.toolCall())) {
            return;
        }
        int client = segmentBase + callOrdinal++;
        ensureBlock(client, start.blockType(), start.toolCall(), out);
        upstreamToClient.put(start.index(), client);
        replayCursor.put(client, 0);
    }

    private void assistant(CliLine.Assistant assistant, List<Event> out) {
        if (assistant.messageId() == null || !assistant.messageId().equals(assistantMessageId)) {
            assistantMessageId = assistant.messageId();
            assistantOrdinal = 0;
        }
        if (assistant.model() != null) {
            model = assistant.model();
        }
        for (CliLine.AnswerBlock block : assistant.blocks()) {
            if (cutShort) {
                return;
            }
            if (!forwarded(block.type(), block.toolCall())) {
                continue;
            }
            ensureStarted(out);
            int client = segmentBase + assistantOrdinal++;
            ensureBlock(client, block.type(), block.toolCall(), out);
            if (block.type() == BlockType.TOOL_USE && !blocks.get(client).sent.isEmpty()) {
                // streamed already; the whole input here is the same JSON, written without the upstream's spacing
                continue;
            }
            feed(client, 0, block.text(), out);
        }
    }

    /**
     * Thinking goes to the client; text unless a tool call is required (the API itself writes none then); a tool call
     * only when it calls one of the client's tools and the turn's rules allow it.
     */
    private boolean forwarded(BlockType type, Optional<CliLine.ToolCall> call) {
        return switch (type) {
            case THINKING -> true;
            case TEXT -> !rules.forcesCall() && !structured;
            case TOOL_USE -> call.map(this::shown).orElse(false);
        };
    }

    /** Decided once per call, at its first sight (its block start, or its assistant line after a fallback). */
    private boolean shown(CliLine.ToolCall call) {
        return shownCalls.computeIfAbsent(call.id(), id -> calls.clientName(call.upstreamName()).map(name -> {
            Optional<String> refusal = rules.refusal(name, shownInCall);
            refusal.ifPresent(reason -> calls.withhold(id, reason));
            if (refusal.isEmpty()) {
                shownInCall++;
                showedCall = true;
            }
            return refusal.isEmpty();
        }).orElse(false));
    }

    /** Opens client block {@code client} if it is new, closing the one before it. */
    private void ensureBlock(int client, BlockType type, Optional<CliLine.ToolCall> call, List<Event> out) {
        if (client < blocks.size()) {
            if (blocks.get(client).type != type) {
                throw diverged();
            }
            return;
        }
        closeOpenBlock(out);
        blocks.add(new ClientBlock(type, stopSequences));
        int index = blocks.size() - 1;
        out.add(call.<Event>map(tool -> new Event.ToolUseStart(index, tool.id(),
                        calls.clientName(tool.upstreamName()).orElse(tool.upstreamName())))
                .orElseGet(() -> new Event.BlockStart(index, type)));
    }

    /**
     * Feeds {@code text} at position {@code cursor} of client block {@code client}: the part already sent must match,
     * the rest is forwarded.
     *
     * @return the new cursor
     */
    private int feed(int client, int cursor, String text, List<Event> out) {
        ClientBlock block = blocks.get(client);
        int overlap = Math.min(text.length(), Math.max(0, block.sent.length() - cursor));
        if (overlap > 0 && !block.sent.substring(cursor, cursor + overlap).equals(text.substring(0, overlap))) {
            throw diverged();
        }
        String rest = text.substring(overlap);
        if (!rest.isEmpty() && !cutShort) {
            if (block.stopped) {
                throw diverged();
            }
            block.sent.append(rest);
            if (block.stops.isEmpty()) {
                out.add(new Event.BlockDelta(client, block.type, rest));
            } else {
                StopSequenceMatcher.Step step = block.stops.get().feed(rest);
                if (!step.text().isEmpty()) {
                    out.add(new Event.BlockDelta(client, block.type, step.text()));
                }
                step.stop().ifPresent(sequence -> cutShort(new StopReason.AtSequence(sequence), out));
            }
        }
        return cursor + text.length();
    }

    /**
     * Ends the answer before the CLI's turn ends (a stop sequence reached, an output cap hit): the stream that reads
     * this turn then tells its process's owner, which interrupts the turn.
     */
    private void cutShort(StopReason reason, List<Event> out) {
        cutShort = true;
        finished = true;
        closeOpenBlock(out);
        out.add(new Event.MessageDelta(reason, answerUsage.plus(callUsage)));
        out.add(new Event.MessageStop());
    }

    private void closeOpenBlock(List<Event> out) {
        if (!blocks.isEmpty()) {
            ClientBlock last = blocks.get(blocks.size() - 1);
            if (!last.stopped) {
                int index = blocks.size() - 1;
                // text held back as a possible start of a stop sequence turned out not to be one
                last.stops.map(StopSequenceMatcher::flush).filter(rest -> !rest.isEmpty())
                        .ifPresent(rest -> out.add(new Event.BlockDelta(index, last.type, rest)));
                last.stopped = true;
                out.add(new Event.BlockStop(index));
            }
        }
    }

    private void ensureStarted(List<Event> out) {
        if (!started) {
            started = true;
            // Not the session id: a recycled process keeps it across conversations, and callers of other keys.
            out.add(new Event.MessageStart("msg_" + UUID.randomUUID().toString().replace("-", ""), model,
                    Usage.ZERO));
        }
    }

    private void result(CliLine.Result result, List<Event> out) {
        finished = true;
        if (sessionId == null) {
            sessionId = result.sessionId();
        }
        if (result.isError() || "api_error".equals(result.terminalReason())
                || (result.terminalReason() != null && result.terminalReason().startsWith("aborted"))) {
            throw CliFailures.fromResult(result, apiError, lastRetry);
        }
        if (apiError != null && blocks.isEmpty()) {
            throw CliFailures.fromResult(result, apiError, lastRetry);
        }
        if (rules.forcesCall() && !showedCall) {
            if (remindersLeft-- > 0) {
                // the CLI's turn is over but not the answer: it goes on with the reply to the reminder
                finished = false;
                reminder = Optional.of(rules.reminder());
                ensureStarted(out);
                return;
            }
            throw new ProxyException(ErrorKind.UPSTREAM_FAILED, rules.failure());
        }
        ensureStarted(out);
        if (structured) {
            structuredAnswer(result, out);
            return;
        }
        if (blocks.isEmpty() && result.resultText() != null && !result.resultText().isEmpty()) {
            ensureBlock(0, BlockType.TEXT, Optional.empty(), out);
            feed(0, 0, result.resultText(), out);
            if (cutShort) {
                return;
            }
        }
        closeOpenBlock(out);
        StopReason reason = result.stopReason() != null ? StopReason.fromWire(result.stopReason())
                : stopReason != null ? stopReason : StopReason.END_TURN;
        out.add(new Event.MessageDelta(reason, sawCompletedCall ? answerUsage : result.usage()));
        out.add(new Event.MessageStop());
    }

    /**
     * The answer to a turn with a response schema: the JSON the model gave the CLI's {@code StructuredOutput} tool,
     * which the CLI checked against the schema, as the answer's one text block. Prose the model wrote around it is not
     * part of it, and the turn ended normally though its last call was that tool's.
     */
    private void structuredAnswer(CliLine.Result result, List<Event> out) {
        String json = result.structuredOutput().orElseThrow(() -> new ProxyException(ErrorKind.UPSTREAM_FAILED,
                "The model gave no answer that matches the response schema."));
        int index = blocks.size();
        ensureBlock(index, BlockType.TEXT, Optional.empty(), out);
        feed(index, 0, json, out);
        if (cutShort) {
            return;
        }
        closeOpenBlock(out);
        out.add(new Event.MessageDelta(StopReason.END_TURN, sawCompletedCall ? answerUsage : result.usage()));
        out.add(new Event.MessageStop());
    }

    private static ProxyException diverged() {
        return new ProxyException(ErrorKind.UPSTREAM_FAILED,
                "The upstream stream broke and the retried answer differs from the part already sent.");
    }
}
