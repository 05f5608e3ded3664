package dev.claudemaxapi.engine.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.ThinkingBudget;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.TurnOptions;
import dev.claudemaxapi.engine.cli.CliLine;
import dev.claudemaxapi.engine.cli.CliLineParser;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.cli.ClientToolCalls;
import dev.claudemaxapi.engine.cli.ClientToolServer;
import dev.claudemaxapi.engine.cli.PromptEncoder;
import dev.claudemaxapi.engine.process.CliOutput;
import dev.claudemaxapi.engine.process.CliProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A CLI process and the conversation it holds, from its spawn to its last turn. Its {@link SessionState} is changed
 * only by {@link SessionPool}, by compare-and-set; the rest is used by one thread at a time: whoever won the last move.
 *
 * <p>Every user message goes in with the proxy's own uuid, so the conversation can be rewound: to its first message
 * to empty the process for a new conversation (recycling, ~2 ms, nothing of the old one left in the next upstream
 * request), or later to one of its messages to edit or regenerate from there.
 */
public final class CliSession implements ClientToolCalls {
    private final CliProcess process;
    private final CliLineParser parser;
    private final String spawnModel;
    private final Instant born;
    private final Clock clock;
    private final AtomicReference<SessionState> state;
    private int turns;
    private int conversations;
    private volatile Instant idleSince;
    /** Set by the first turn of the current conversation. */
    private String model;
    private Optional<String> system;
    /** Whether the process has had its one {@code initialize}; later conversations are set up with set_model. */
    private boolean initialized;
    /** The system prompt the process holds, which a later conversation keeps unless set_model replaces it. */
    private String systemSlot = "";
    /** The output cap the process has, as the env value it was given: empty for the CLI's own. It carries over. */
    private String outputCap = "";
    /** The effort level the process has; empty for the CLI's default. It carries over too. */
    private Optional<Effort> effort = Optional.empty();
    /** The CLI's cost total for this process at the end of its last turn. */
    private double reportedCostUsd;
    /** The thinking budget the process has. It carries over as well. */
    private ThinkingBudget thinking = ThinkingBudget.DEFAULT;
    /** The response schema of its first initialize, which it keeps for life: it serves that one conversation only. */
    private Optional<String> outputSchema = Optional.empty();
    /** Rewound and empty, waiting for a new conversation. */
    private boolean recycled;
    /** The ids of the user lines the current conversation holds, oldest first. */
    private final Deque<String> userUuids = new ArrayDeque<>();
    /** The newest user line sent, a reminder included: the CLI asks for it with every rewind. */
    private Optional<String> lastSent = Optional.empty();
    private List<String> pendingToolCalls = List.of();
    /** Results that came before the CLI asked for them, and calls the CLI made before their results came. */
    private final Map<String, ContentBlock.ToolResult> toolResults = new ConcurrentHashMap<>();
    private final Map<String, CliLine.McpRequest> waitingCalls = new ConcurrentHashMap<>();
    /** Calls the client was not shown (see {@link #withhold}), with the error the proxy answers them with. */
    private final Map<String, String> withheldCalls = new ConcurrentHashMap<>();
    /** The client-tool server connected for the current conversation, if it has tools. */
    private Optional<ClientToolServer> toolServer = Optional.empty();
    /** Where the pool filed it while {@link SessionState#LIVE}. */
    private Optional<ConversationKey.Filing> filing = Optional.empty();
    private int requests;
    /** Resident memory after its first turn, against which its growth is measured. */
    private OptionalLong baselineMemory = OptionalLong.empty();

    public CliSession(CliProcess process, CliLineParser parser, String spawnModel, Clock clock, SessionState initial) {
        this.process = process;
        this.parser = parser;
        this.spawnModel = spawnModel;
        this.clock = clock;
        this.born = clock.instant();
        this.idleSince = born;
        this.state = new AtomicReference<>(initial);
    }

    SessionState state() {
        return state.get();
    }

    /**
     * Moves the session from {@code from} to {@code to} if it is still in {@code from}.
     *
     * @return false when another thread moved it first: the caller does not own it
     * @throws IllegalStateException for a transition {@link SessionState} does not allow
     */
    boolean move(SessionState from, SessionState to) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("a session cannot go from " + from + " to " + to);
        }
        return state.compareAndSet(from, to);
    }

    /** Moves to {@link SessionState#DEAD} from wherever it is. @return false if it was dead already */
    boolean markDead() {
        return state.getAndSet(SessionState.DEAD) != SessionState.DEAD;
    }

    /** The resident memory first measured, which {@code current} becomes when this is the first measure. */
    long baselineMemory(long current) {
        if (baselineMemory.isEmpty()) {
            baselineMemory = OptionalLong.of(current);
        }
        return baselineMemory.getAsLong();
    }

    Optional<ConversationKey.Filing> filing() {
        return filing;
    }

    void file(Optional<ConversationKey.Filing> filing) {
        this.filing = filing;
    }

    public CliProcess process() {
        return process;
    }

    String spawnModel() {
        return spawnModel;
    }

    Instant born() {
        return born;
    }

    int turns() {
        return turns;
    }

    /** Conversations this process has started, the current one included. */
    int conversations() {
        return conversations;
    }

    Instant idleSince() {
        return idleSince;
    }

    void markIdle(Instant now) {
        idleSince = now;
    }

    /** A fresh id for a user message sent to this process (or to whichever process a prepared line goes to). */
    public static String newUuid() {
        return UUID.randomUUID().toString();
    }

    /**
     * Starts a conversation, its messages already encoded as {@code userLine} with the id {@code uuid}. A fresh
     * process gets the system prompt in its one {@code initialize} (and the model with set_model when it differs
     * from the one spawned with; clean before the first turn); a rewound one gets both in one set_model.
     */
    public void sendFirstTurn(Turn turn, String userLine, String uuid, PromptEncoder prompts,
            Optional<ClientToolServer> tools) {
        String systemPrompt = turn.system().orElse("");
        Optional<String> schema = turn.options().outputSchema();
        if (initialized && !schema.equals(outputSchema)) {
            // the pool hands a process with a schema only to its own conversation (an edit of its first message)
            throw new IllegalStateException("a response schema can only be set in a process's first initialize");
        }
        if (!initialized) {
            process.send(prompts.initializeLine(nextRequestId(), systemPrompt, schema));
            initialized = true;
            outputSchema = schema;
            if (!turn.model().equals(spawnModel)) {
                process.send(prompts.setModelLine(nextRequestId(), turn.model()));
            }
        } else if (systemPrompt.isEmpty()) {
            // set_model refuses an empty system_prompt; fits() only lets such a turn in where the slot is empty
            process.send(prompts.setModelLine(nextRequestId(), turn.model()));
        } else {
            process.send(prompts.setModelAndSystemLine(nextRequestId(), turn.model(), systemPrompt));
        }
        offer(tools, prompts);
        applyOptions(turn.options(), prompts);
        systemSlot = systemPrompt;
        model = turn.model();
        system = turn.system();
        recycled = false;
        conversations++;
        process.send(userLine);
        userUuids.clear();
        userUuids.addLast(uuid);
        lastSent = Optional.of(uuid);
        turns++;
    }

    /**
     * Connects the conversation's tool server under the name the last one did not use, so none of the tools of an
     * earlier conversation stay offered; a conversation without tools disconnects any.
     */
    private void offer(Optional<ClientToolServer> tools, PromptEncoder prompts) {
        toolResults.clear();
        waitingCalls.clear();
        withheldCalls.clear();
        pendingToolCalls = List.of();
        if (tools.isPresent()) {
            ClientToolServer server = tools.get().named(ClientToolServer.nextName(toolServer.map(ClientToolServer::name)));
            process.send(server.connectLine(nextRequestId()));
            toolServer = Optional.of(server);
        } else if (toolServer.isPresent()) {
            process.send(prompts.disconnectToolsLine(nextRequestId()));
            toolServer = Optional.empty();
        }
    }

    /**
     * Answers the CLI's MCP messages for the connected tool server: the handshake at once, a tool call with the
     * client's result once a request brought it ({@link #provideToolResults}); until then the call waits.
     */
    public void answerMcp(CliLine.McpRequest request) {
        if (toolServer.isEmpty()) {
            return;
        }
        ClientToolServer server = toolServer.get();
        Optional<String> answer = server.answer(request);
        if (answer.isPresent()) {
            process.send(answer.get());
            return;
        }
        // The CLI starts a call as soon as its block is complete, often before the answer's last line: it waits
        // here until a request brings the result.
        ClientToolServer.toolUseId(request).ifPresent(id -> {
            String refusal = withheldCalls.remove(id);
            ContentBlock.ToolResult result = refusal != null ? refusal(id, refusal) : toolResults.remove(id);
            if (result == null) {
                waitingCalls.put(id, request);
            } else {
                process.send(server.callResult(request, result));
            }
        });
    }

    /** The ids of the tool calls its last answer ended with, which the CLI now waits inside. */
    List<String> pendingToolCalls() {
        return pendingToolCalls;
    }

    void awaitTools(List<String> callIds) {
        pendingToolCalls = List.copyOf(callIds);
    }

    /** The client's results for the pending calls, answered as the CLI asks for each; this is one more turn. */
    void provideToolResults(List<ContentBlock.ToolResult> results) {
        for (ContentBlock.ToolResult result : results) {
            CliLine.McpRequest call = waitingCalls.remove(result.toolUseId());
            if (call == null) {
                toolResults.put(result.toolUseId(), result);
            } else {
                process.send(toolServer.orElseThrow().callResult(call, result));
            }
        }
        pendingToolCalls = List.of();
        turns++;
    }

    @Override
    public Optional<String> clientName(String upstreamName) {
        return toolServer.flatMap(server -> server.clientName(upstreamName));
    }

    /** Decided at the call's block start, before the CLI can ask for it; answered at once when it does. */
    @Override
    public void withhold(String toolUseId, String reason) {
        CliLine.McpRequest waiting = waitingCalls.remove(toolUseId);
        if (waiting == null) {
            withheldCalls.put(toolUseId, reason);
        } else {
            // the CLI asked before the call was decided (its answer came whole, not streamed): answer it now
            process.send(toolServer.orElseThrow().callResult(waiting, refusal(toolUseId, reason)));
        }
    }

    private static ContentBlock.ToolResult refusal(String toolUseId, String reason) {
        return new ContentBlock.ToolResult(toolUseId, List.of(new ContentBlock.Text(reason)), true);
    }

    /**
     * Sets the output cap, effort and thinking budget of the next turns where the process has other ones: each
     * carries over from turn to turn and from one conversation to the next, so each is set whenever it differs. (A
     * change of effort in the middle of a conversation adds a row to its history, as it does in the CLI.)
     */
    public void applyOptions(TurnOptions options, PromptEncoder prompts) {
        OptionalInt maxTokens = options.maxOutputTokens();
        String wantedCap = maxTokens.isPresent() ? Integer.toString(maxTokens.getAsInt()) : "";
        if (!wantedCap.equals(outputCap)) {
            process.send(prompts.outputCapLine(nextRequestId(), wantedCap));
            outputCap = wantedCap;
        }
        if (!options.effort().equals(effort)) {
            process.send(prompts.effortLine(nextRequestId(), options.effort()));
            effort = options.effort();
        }
        if (!options.thinking().equals(thinking)) {
            process.send(prompts.thinkingLine(nextRequestId(), options.thinking()));
            thinking = options.thinking();
        }
    }

    /**
     * What the turn that just ended cost: the CLI reports a total for the whole process, so this is the growth since
     * the last report. A total that shrank (the CLI started counting again) is all this turn's.
     */
    public double turnCost(double processTotalUsd) {
        double cost = processTotalUsd >= reportedCostUsd ? processTotalUsd - reportedCostUsd : processTotalUsd;
        reportedCostUsd = processTotalUsd;
        return cost;
    }

    /**
     * One more user line inside the current turn (the reminder of a required tool call): it is no turn of its own,
     * so an edit or a regenerate of this turn still rewinds to the turn's first line.
     */
    public void sendWithinTurn(String line, String uuid) {
        process.send(line);
        lastSent = Optional.of(uuid);
    }

    /** Continues the conversation with only the messages that are new since the last answer, already encoded. */
    public void sendFollowUp(String followUpLine, String uuid) {
        process.send(followUpLine);
        userUuids.addLast(uuid);
        lastSent = Optional.of(uuid);
        turns++;
    }

    /**
     * Whether this rewound process can start a conversation on this model and system prompt: any alias can be set,
     * but switching to an exact model id makes the CLI send a probe request upstream, so those need a process already
     * on that model.
     */
    boolean fits(Turn turn) {
        return recycled && canServe(turn);
    }

    /** Whether it was started for a response schema, so that it can serve no other conversation. */
    boolean boundToSchema() {
        return outputSchema.isPresent();
    }

    /**
     * Whether, once rewound, this process can run a conversation on this model and system prompt: an exact model
     * id only on the model it runs (see above), and no system prompt only where the last conversation had none
     * either, since set_model takes only a non-empty one and the prompt otherwise carries over. Nothing that
     * involves a response schema: one is set only in a process's first initialize, and stays.
     */
    boolean canServe(Turn turn) {
        if (boundToSchema() || turn.options().outputSchema().isPresent()) {
            return false;
        }
        String wantedModel = turn.model();
        Optional<String> wantedSystem = turn.system();
        boolean model = CliSettings.switchable(wantedModel) || wantedModel.equals(this.model)
                || wantedModel.equals(spawnModel);
        boolean system = wantedSystem.filter(prompt -> !prompt.isEmpty()).isPresent() || systemSlot.isEmpty();
        return model && system;
    }


    boolean recycled() {
        return recycled;
    }

    /** Whether it holds a conversation that a follow-up line continues; false when empty (spare or rewound). */
    public boolean holdsConversation() {
        return !userUuids.isEmpty();
    }

    /**
     * For an edit or a regenerate: removes the last user line and everything after it, leaving the conversation as
     * it was before that line (empty if it was the first). The process must be idle.
     *
     * @return false if it did not confirm: the process must then be stopped
     */
    boolean rewindLastTurn(Duration timeout, PromptEncoder prompts) throws InterruptedException {
        if (userUuids.isEmpty() || !rewindTo(userUuids.peekLast(), timeout, PromptEncoder.TurnInProgress.NONE,
                prompts)) {
            return false;
        }
        userUuids.removeLast();
        // what the CLI now holds ends with an earlier turn; its own last line is what a later rewind names
        lastSent = Optional.ofNullable(userUuids.peekLast());
        return true;
    }

    /**
     * Empties the process for a new conversation: rewinds to the conversation's first message, interrupting a turn
     * that may still run, and reads on until the CLI confirms (and, for a turn that may run, until its result line,
     * which an interrupted turn and one that had just finished both leave).
     *
     * @return false if it did not confirm ({@code rewound:false}, no answer in time, the process ended): the process
     *     must then be stopped
     */
    boolean rewind(Duration timeout, PromptEncoder.TurnInProgress turn, PromptEncoder prompts)
            throws InterruptedException {
        if (userUuids.isEmpty() || !rewindTo(userUuids.peekFirst(), timeout, turn, prompts)) {
            return false;
        }
        recycled = true;
        userUuids.clear();
        lastSent = Optional.empty();
        return true;
    }

    private boolean rewindTo(String targetUuid, Duration timeout, PromptEncoder.TurnInProgress turn,
            PromptEncoder prompts) throws InterruptedException {
        if (turn == PromptEncoder.TurnInProgress.NONE && !process.checkIdle()) {
            return false;
        }
        String requestId = nextRequestId();
        process.send(prompts.rewindLine(requestId, targetUuid, lastSent.orElse(targetUuid), turn));
        Instant deadline = clock.instant().plus(timeout);
        boolean rewound = false;
        boolean turnOver = turn == PromptEncoder.TurnInProgress.NONE;
        while (!(rewound && turnOver)) {
            Optional<CliLine> line = nextLine(deadline);
            if (line.isEmpty()) {
                return false;
            }
            switch (line.get()) {
                case CliLine.ControlResponse response when response.requestId().equals(requestId) -> {
                    if (!response.success() || !response.rewound()) {
                        return false;
                    }
                    rewound = true;
                }
                case CliLine.Result ignored -> turnOver = true;
                default -> {
                    // the rest of an interrupted turn, replays and status lines
                }
            }
        }
        return true;
    }

    /** The next parsed line before {@code deadline}; empty when none came or the output ended. */
    private Optional<CliLine> nextLine(Instant deadline) throws InterruptedException {
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Optional.empty();
            }
            Optional<CliOutput> output = process.next(left);
            if (output.isEmpty() || !(output.get() instanceof CliOutput.Line line)) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.parse(line.text()));
            } catch (JsonProcessingException notJson) {
                // the CLI printed something else; keep reading
            }
        }
    }

    private String nextRequestId() {
        return "req-" + (++requests);
    }
}
