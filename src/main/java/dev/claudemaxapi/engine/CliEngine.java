package dev.claudemaxapi.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Turn;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Runs turns in {@code claude} processes. A request takes, in this order: the live process of its conversation (when
 * its history is exactly a conversation this engine answered, plus new user input: only the new input is sent), a
 * warm spare (for a new conversation), or a freshly spawned process. After a completed turn the process is kept
 * for the conversation's next turn; after a failure or a cancellation it is stopped. With a pool size of 0 every
 * request spawns its own process, which exits after its turn.
 */
public final class CliEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(CliEngine.class.getName());
    /** How long a finished CLI may take to exit on its own after stdin closes before it is killed. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
    private static final String DEFAULT_SPARE_MODEL = "sonnet";

    private final CliSettings settings;
    private final String cliVersion;
    private final PoolSettings poolSettings;
    private final Clock clock;
    private final PromptEncoder prompts;
    private final CliLineParser parser;
    private final SessionPool pool;
    private final Set<CliProcess> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong spawned = new AtomicLong();
    private final AtomicLong cold = new AtomicLong();

    /** @param busy true while every request slot is taken: no warm process is started then */
    public CliEngine(CliSettings settings, String cliVersion, ObjectMapper json, PoolSettings poolSettings,
            BooleanSupplier busy, Clock clock) {
        this.settings = settings;
        this.cliVersion = cliVersion;
        this.poolSettings = poolSettings;
        this.clock = clock;
        this.prompts = new PromptEncoder(json);
        this.parser = new CliLineParser(json);
        this.pool = poolSettings.enabled()
                ? new SessionPool(poolSettings, DEFAULT_SPARE_MODEL,
                        model -> spawn(model, CliSettings.Priority.BACKGROUND), busy, clock, prompts)
                : null;
    }

    /**
     * Everything that depends only on the request (its encoded stdin lines, hence every 400 the encoder can find)
     * is done before a process is taken. From the moment one is taken until its stream is handed out, any failure,
     * whatever its type, ends that process: it is never left running without an owner.
     */
    @Override
    public EventStream start(Turn turn) {
        if (pool != null) {
            Optional<EventStream> continued = continueLive(turn);
            if (continued.isPresent()) {
                return continued.get();
            }
        }
        String uuid = CliSession.newUuid();
        String userLine = prompts.userLine(turn, uuid);
        CliSession pooled = pool == null ? null : takePooled(turn);
        if (pooled != null) {
            String servedAs = pooled.recycled() ? "recycled" : "warm";
            try {
                pooled.sendFirstTurn(turn, userLine, uuid, prompts);
                return stream(pooled, turn, servedAs);
            } catch (ProxyException died) {
                // It died between the idle check and now: the request must not pay for that.
                LOG.fine(() -> "a pooled claude died as it was taken; starting a fresh one");
                pool.diedWhenTaken();
                discard(pooled);
            } catch (RuntimeException | Error e) {
                discard(pooled);
                throw e;
            }
        }
        CliSession fresh = spawn(turn.model(), CliSettings.Priority.FOREGROUND);
        cold.incrementAndGet();
        return startOrDiscard(fresh, () -> {
            fresh.sendFirstTurn(turn, userLine, uuid, prompts);
            return stream(fresh, turn, "cold");
        });
    }

    /**
     * A pooled process for a new conversation, or null, in the order of what it costs the request: a rewound spare
     * (its first turn starts at once), a never-used spare (a first turn in a new process builds its request for
     * ~100 ms more), the oldest live conversation's process rewound on the spot (~2 ms, when recycling and no spare
     * is left); null means a spawn.
     */
    private CliSession takePooled(Turn turn) {
        Optional<CliSession> spare = pool.takeSpare(turn.model(), turn.system(), SessionPool.Spares.RECYCLED)
                .or(() -> switchableModel(turn.model())
                        ? pool.takeSpare(turn.model(), turn.system(), SessionPool.Spares.ANY) : Optional.empty());
        if (spare.isPresent()) {
            return spare.get();
        }
        return poolSettings.recycle() ? recycleOldest(turn) : null;
    }

    private CliSession recycleOldest(Turn turn) {
        try {
            return pool.recycleOldest(turn.model(), turn.system()).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(ErrorKind.UNAVAILABLE, "The server is shutting down.");
        }
    }

    /** A request whose history is a conversation still held by a live process, plus new user messages. */
    private Optional<EventStream> continueLive(Turn turn) {
        List<Message> messages = turn.messages();
        int lastAssistant = Message.lastAssistantIndex(messages);
        if (lastAssistant < 0 || lastAssistant == messages.size() - 1) {
            return Optional.empty();
        }
        String uuid = CliSession.newUuid();
        String followUpLine = prompts.followUpLine(messages.subList(lastAssistant + 1, messages.size()), uuid);
        String key = ConversationKey.of(turn.caller(), turn.model(), turn.system(),
                messages.subList(0, lastAssistant + 1));
        Optional<CliSession> live = pool.takeLive(key);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        CliSession session = live.get();
        try {
            session.sendFollowUp(followUpLine, uuid);
        } catch (ProxyException died) {
            // It died after the idle check (killed from outside, crashed): the request is answered statelessly.
            LOG.fine(() -> "a live claude died as it was taken; rebuilding the conversation");
            pool.diedWhenTaken();
            discard(session);
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            discard(session);
            throw e;
        }
        return Optional.of(startOrDiscard(session, () -> stream(session, turn, "live")));
    }

    /** Runs the start of a turn in a process this request owns; any failure on the way ends the process. */
    private EventStream startOrDiscard(CliSession session, Supplier<EventStream> start) {
        try {
            return start.get();
        } catch (RuntimeException | Error e) {
            discard(session);
            throw e;
        }
    }

    private void discard(CliSession session) {
        session.process().kill();
        reap(session.process());
    }

    private EventStream stream(CliSession session, Turn turn, String servedAs) {
        return new CliEventStream(session.process(), new TurnTranslator(turn.model()), parser,
                settings.stallTimeout(), servedAs, (outcome, answer) -> ended(session, turn, outcome, answer));
    }

    /** The one place that decides what happens to a process after a turn: kept live, recycled, or ended. */
    private void ended(CliSession session, Turn turn, CliEventStream.Outcome outcome, List<ContentBlock> answer) {
        switch (outcome) {
            case COMPLETED -> {
                if (pool != null) {
                    List<Message> conversation = new ArrayList<>(turn.messages());
                    conversation.add(new Message(Role.ASSISTANT, answer));
                    if (pool.keepLive(ConversationKey.of(turn.caller(), turn.model(), turn.system(), conversation),
                            session)) {
                        return;
                    }
                }
                session.process().closeInput();
                reap(session.process());
            }
            // The client left: its conversation holds a turn no request can continue. With recycling the process
            // is rewound (the turn interrupted if it may still run) and kept for a new conversation.
            case CANCELLED -> recycleOrEnd(session, PromptEncoder.TurnInProgress.MAYBE);
            case LEFT_AFTER_TURN -> recycleOrEnd(session, PromptEncoder.TurnInProgress.NONE);
            case FAILED -> discard(session);
        }
    }

    private void recycleOrEnd(CliSession session, PromptEncoder.TurnInProgress turn) {
        if (pool != null && poolSettings.recycle()) {
            pool.recycleAbandoned(session, turn);
        } else {
            discard(session);
        }
    }

    /**
     * Aliases can be switched with {@code set_model} before the first turn at no cost; for an exact model id the CLI
     * would first send a probe request upstream, so such requests get a process spawned with that model.
     */
    static boolean switchableModel(String model) {
        return !model.startsWith("claude-");
    }

    private CliSession spawn(String model, CliSettings.Priority priority) {
        CliProcess process = CliProcess.start(settings.argv(model, priority),
                settings.environment(), settings.workDir());
        spawned.incrementAndGet();
        running.add(process);
        watch(process);
        return new CliSession(process, parser, model, clock.instant());
    }

    /** Forgets a process once it has exited, however that happened. */
    private void watch(CliProcess process) {
        process.onExit(() -> running.remove(process));
    }

    /** Lets a finished process exit on its own, in the background, and kills it if it does not. */
    private void reap(CliProcess process) {
        Thread.ofVirtual().name("cli-reap-" + process.pid()).start(() -> {
            try {
                if (!process.waitFor(EXIT_GRACE)) {
                    LOG.fine(() -> "claude " + process.pid() + " did not exit after its turn; killing it");
                    process.kill();
                }
            } catch (InterruptedException e) {
                process.kill();
            }
        });
    }

    @Override
    public EngineInfo info() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("processes", (long) running.size());
        stats.put("spawned", spawned.get());
        stats.put("cold_starts", cold.get());
        if (pool != null) {
            stats.putAll(pool.stats());
        } else {
            stats.put("pool_size", 0L);
        }
        return new EngineInfo(settings.claudeBin(), cliVersion, stats);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        for (CliProcess process : running) {
            LOG.info(() -> "stopping claude " + process.pid());
            process.kill();
        }
    }
}
