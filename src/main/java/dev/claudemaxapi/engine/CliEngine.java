package dev.claudemaxapi.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.engine.cli.CliEventStream;
import dev.claudemaxapi.engine.cli.CliLineParser;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.cli.ClientToolServer;
import dev.claudemaxapi.engine.cli.PromptEncoder;
import dev.claudemaxapi.engine.cli.ToolRules;
import dev.claudemaxapi.engine.cli.TurnTranslator;
import dev.claudemaxapi.engine.pool.CliSession;
import dev.claudemaxapi.engine.pool.Lease;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.engine.pool.SessionPool;
import dev.claudemaxapi.engine.pool.SessionState;
import dev.claudemaxapi.engine.process.CliProcess;
import dev.claudemaxapi.engine.process.ProcessMemory;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Runs turns in {@code claude} processes. The {@link SessionPool} owns the processes and decides which one a turn
 * runs in (see {@link SessionPool#take}) and what becomes of it after; this class writes the turn to it and reads
 * the answer back.
 */
public final class CliEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(CliEngine.class.getName());
    private static final String DEFAULT_SPARE_MODEL = "sonnet";

    private final CliSettings settings;
    private final String cliVersion;
    private final Clock clock;
    private final PromptEncoder prompts;
    private final CliLineParser parser;
    private final SessionPool pool;
    private final ObjectMapper json;
    private final PlanLimits plan;

    /**
     * @param busy true while every request slot is taken: no warm process is started then
     * @param plan where what the CLI reports of the plan's usage windows goes
     */
    public CliEngine(CliSettings settings, String cliVersion, ObjectMapper json, PoolSettings poolSettings,
            BooleanSupplier busy, Clock clock, PlanLimits plan) {
        this.plan = plan;
        this.settings = settings;
        this.cliVersion = cliVersion;
        this.clock = clock;
        this.json = json;
        this.prompts = new PromptEncoder(json);
        this.parser = new CliLineParser(json);
        this.pool = new SessionPool(poolSettings, DEFAULT_SPARE_MODEL, this::spawn, busy, clock, prompts,
                ProcessMemory.proc());
    }

    /**
     * Everything that depends only on the request (its encoded stdin lines, hence every 400 the encoder can find)
     * is done before a process is taken. From the moment one is taken until its stream is handed out, any failure,
     * whatever its type, goes back to the pool as a failed turn, which ends that process: it is never left running
     * without an owner.
     */
    @Override
    public EventStream start(Turn turn) {
        String uuid = CliSession.newUuid();
        String firstLine = prompts.userLine(turn, uuid);
        Optional<ClientToolServer> tools = turn.tools().upstream().isEmpty() ? Optional.empty()
                : Optional.of(ClientToolServer.forTools(json, turn.tools().upstream()));
        Optional<String> followUpLine = followUpLine(turn, uuid);
        while (true) {
            Lease lease = pool.take(turn);
            CliSession session = lease.session();
            try {
                if (lease.source() == Lease.Source.TOOL_ROUND) {
                    // nothing to write: the results go out as the CLI asks for each call (CliSession.answerMcp)
                } else if (session.holdsConversation()) {
                    session.applyOptions(turn.options(), prompts);
                    session.sendFollowUp(followUpLine.orElseThrow(), uuid);
                } else {
                    session.sendFirstTurn(turn, firstLine, uuid, prompts, tools);
                }
                return new CliEventStream(session.process(), new TurnTranslator(turn.model(),
                        new ToolRules(turn.tools()), session, turn.options()), parser, settings.stallTimeout(), clock,
                        lease.source().label(), new SessionTurnHost(pool, session, turn, prompts, plan));
            } catch (ProxyException died) {
                if (lease.source() == Lease.Source.COLD) {
                    pool.release(session, CliEventStream.Outcome.FAILED, turn, List.of());
                    throw died;
                }
                // It died between the idle check and now: the request must not pay for that.
                LOG.fine(() -> "a pooled claude died as it was taken; taking another");
                pool.diedWhenTaken(session);
            } catch (RuntimeException | Error e) {
                pool.release(session, CliEventStream.Outcome.FAILED, turn, List.of());
                throw e;
            }
        }
    }

    /** Only the user input since the last answer, for a process that holds the conversation up to that answer. */
    private Optional<String> followUpLine(Turn turn, String uuid) {
        List<Message> messages = turn.messages();
        int lastAssistant = Message.lastAssistantIndex(messages);
        if (lastAssistant < 0 || lastAssistant == messages.size() - 1) {
            return Optional.empty();
        }
        return Optional.of(prompts.followUpLine(turn, messages.subList(lastAssistant + 1, messages.size()), uuid));
    }

    private CliSession spawn(String model, CliSettings.Priority priority, SessionState initial) {
        CliProcess process = CliProcess.start(settings.argv(model, priority), settings.environment(),
                settings.workDir());
        return new CliSession(process, parser, model, clock, initial);
    }

    @Override
    public EngineInfo info() {
        return new EngineInfo(settings.claudeBin(), cliVersion, pool.stats());
    }

    @Override
    public void close() {
        pool.close();
    }
}
