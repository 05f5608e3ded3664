package dev.claudemaxapi.engine.pool;

import dev.claudemaxapi.engine.cli.PromptEncoder;
import dev.claudemaxapi.engine.cli.CliEventStream;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.process.ProcessMemory;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.engine.pool.PoolTally.Count;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one owner of every CLI process the engine runs, from spawn to exit. It hands a request a session for a turn
 * ({@link #take}), takes it back when the turn's stream closes ({@link #release}) and decides, in that one place,
 * whether it is kept for the conversation's next turn, rewound for another conversation, or ended.
 *
 * <p>Each session's {@link SessionState} changes only here, by compare-and-set, so a request and the housekeeper
 * never both own one. Counts (spares, live conversations, the budget) are read from the states, never kept aside.
 * Idle processes (spares, live conversations, those being rewound) share one budget, {@link PoolSettings#size()}; a
 * pool of size 0 keeps nothing: every request gets a fresh process, ended after its turn.
 *
 * <p>One housekeeper thread does the background work: it rewinds the processes to recycle, expires conversations
 * past their TTL, drops processes that died while idle, kills ending ones that outstay their grace, and tops the
 * spares up (demand wakes it), one spawn at a time, at low CPU priority, and never while {@code busy} says every
 * request slot is taken, so warming never competes with answers.
 */
public final class SessionPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionPool.class.getName());
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration REWIND_TIMEOUT = Duration.ofSeconds(10);
    /** How long a request for a new conversation waits for a process being rewound, instead of spawning one. */
    private static final Duration RECYCLE_WAIT = Duration.ofMillis(150);
    /** How long a process whose input was closed after its last turn may take to exit before it is killed. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    /** Starts a CLI process for {@code model}, in the given first state. */
    public interface Spawner {
        CliSession spawn(String model, CliSettings.Priority priority, SessionState initial);
    }

    /** How an ending process goes: asked to exit after its finished turn, or at once. */
    private enum Ending { GRACEFUL, KILL }

    private record Recycle(CliSession session, PromptEncoder.TurnInProgress turn) {}

    private final PoolSettings settings;
    private final Spawner spawner;
    private final BooleanSupplier busy;
    private final Clock clock;
    private final PromptEncoder prompts;
    private final ProcessMemory memory;
    /** Every process started and not yet exited, in any state. */
    private final Set<CliSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, CliSession> byConversation = new ConcurrentHashMap<>();
    private final Map<String, CliSession> byHistory = new ConcurrentHashMap<>();
    private final BlockingQueue<Recycle> toRecycle = new LinkedBlockingQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private final Object trimLock = new Object();
    /** Notified whenever a rewound process becomes a spare. */
    private final Object spareReady = new Object();
    private final PoolTally tally = new PoolTally();
    private final Thread housekeeper;
    private volatile boolean closed;
    private volatile String spareModel;

    public SessionPool(PoolSettings settings, String spareModel, Spawner spawner, BooleanSupplier busy, Clock clock,
            PromptEncoder prompts, ProcessMemory memory) {
        this.settings = settings;
        this.spareModel = spareModel;
        this.spawner = spawner;
        this.busy = busy;
        this.clock = clock;
        this.prompts = prompts;
        this.memory = memory;
        this.housekeeper = Thread.ofVirtual().name("cli-pool").start(this::housekeep);
    }

    /**
     * A session for {@code turn}, in the order of what it costs the request: the live process of the conversation it
     * continues, the one whose last turn it edits or regenerates (rewound to before that turn), a rewound spare, the
     * least recently used conversation's process rewound on the spot when the budget will evict that conversation
     * anyway, a never-used spare (its first turn takes ~100 ms longer), the least recently used conversation's
     * process when the pool is full, one the housekeeper is rewinding right now (a few milliseconds), and last a
     * process spawned for it.
     */
    public Lease take(Turn turn) {
        Optional<String> sentBefore = settings.enabled() ? ConversationKey.sentBefore(turn) : Optional.empty();
        return sentBefore.flatMap(key -> takeLive(key, turn))
                .or(() -> sentBefore.flatMap(this::takeToRewind))
                .or(() -> takeRecycledSpare(turn))
                .or(() -> recycleOldest(turn, this::oldestWillBeEvicted))
                .or(() -> takeWarmSpare(turn))
                .or(() -> recycleOldest(turn, this::full))
                .or(() -> awaitRecycled(turn))
                .orElseGet(() -> spawnFor(turn));
    }

    /**
     * Takes back the session of a turn whose stream closed: the one place that decides its fate. A completed turn's
     * process is kept for the conversation's next turn (unless due for retirement); one whose client left, or whose
     * answer was cut short while the CLI went on, is rewound, interrupting the turn if it may still run, and becomes
     * a spare; a failed one is killed.
     */
    public void release(CliSession session, CliEventStream.Outcome outcome, Turn turn, List<ContentBlock> answer) {
        switch (outcome) {
            case COMPLETED -> keepOrEnd(session, turn, answer);
            case CANCELLED, CUT_SHORT -> recycleOrEnd(session, PromptEncoder.TurnInProgress.MAYBE);
            case LEFT_AFTER_TURN -> recycleOrEnd(session, PromptEncoder.TurnInProgress.NONE);
            case CALLED_TOOLS -> awaitToolsOrRecycle(session, turn, answer);
            case FAILED -> end(session, Ending.KILL);
        }
    }

    /** A session handed out as idle turned out dead when the request wrote to it. */
    public void diedWhenTaken(CliSession session) {
        tally.add(Count.DIED_IDLE);
        end(session, Ending.KILL);
    }

    private Optional<Lease> takeLive(String key, Turn turn) {
        CliSession session = byConversation.get(key);
        if (session != null && session.state() == SessionState.AWAITING_TOOLS) {
            return takeAwaiting(session, turn);
        }
        return claim(session, SessionState.LIVE)
                .map(live -> {
                    tally.add(Count.LIVE_REUSED);
                    return new Lease(live, Lease.Source.LIVE);
                });
    }

    /**
     * The process waiting inside the tool calls whose results this request brings: it gets the results and goes on
     * with no spawn and no history sent again. A request that continues the conversation otherwise (other content,
     * not every result) means those calls will never be answered: the process is interrupted and recycled, and the
     * request takes the stateless path.
     */
    private Optional<Lease> takeAwaiting(CliSession session, Turn turn) {
        Optional<List<ContentBlock.ToolResult>> results = ToolRound.resultsFor(turn, session.pendingToolCalls());
        if (results.isEmpty()) {
            if (session.move(SessionState.AWAITING_TOOLS, SessionState.RECYCLING)) {
                unfile(session);
                retire(session, PromptEncoder.TurnInProgress.MAYBE);
            }
            return Optional.empty();
        }
        if (!session.move(SessionState.AWAITING_TOOLS, SessionState.IN_TURN)) {
            return Optional.empty();
        }
        unfile(session);
        if (!session.process().isAlive()) {
            tally.add(Count.DIED_IDLE);
            end(session, Ending.KILL);
            return Optional.empty();
        }
        // this request's own cap and effort, set before the CLI goes on (control requests are read mid-turn)
        session.applyOptions(turn.options(), prompts);
        session.provideToolResults(results.get());
        tally.add(Count.TOOL_ROUNDS);
        return Optional.of(new Lease(session, Lease.Source.TOOL_ROUND));
    }

    /**
     * An answer ended with calls of the client's tools: the process waits inside them for the request that brings
     * the results, filed under the conversation with those calls, for at most {@link PoolSettings#toolWait()}.
     */
    private void awaitToolsOrRecycle(CliSession session, Turn turn, List<ContentBlock> answer) {
        if (closed || !settings.enabled() || retirement(session).isPresent()) {
            recycleOrEnd(session, PromptEncoder.TurnInProgress.MAYBE);
            return;
        }
        session.awaitTools(answer.stream().filter(ContentBlock.ToolUse.class::isInstance)
                .map(block -> ((ContentBlock.ToolUse) block).id()).toList());
        ConversationKey.Filing filing = ConversationKey.afterToolCalls(turn, answer);
        session.markIdle(clock.instant());
        session.file(Optional.of(filing));
        replace(byConversation.put(filing.conversation(), session), session);
        if (!session.move(SessionState.IN_TURN, SessionState.AWAITING_TOOLS)) {
            unfile(session);
            return;
        }
        trim();
    }

    private Optional<Lease> takeToRewind(String key) {
        Optional<CliSession> taken = claim(byHistory.get(key), SessionState.LIVE);
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        CliSession session = taken.get();
        if (rewindOrEnd(session, () -> session.rewindLastTurn(REWIND_TIMEOUT, prompts))) {
            tally.add(Count.REWOUND);
            return Optional.of(new Lease(session, Lease.Source.REWOUND));
        }
        return Optional.empty();
    }

    private Optional<Lease> takeRecycledSpare(Turn turn) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        wakeHousekeeper();
        return claimSpare(spare -> spare.fits(turn), Lease.Source.RECYCLED);
    }

    private Optional<Lease> takeWarmSpare(Turn turn) {
        if (!settings.enabled() || !CliSettings.switchable(turn.model())) {
            return Optional.empty();
        }
        spareModel = turn.model();
        return claimSpare(spare -> !spare.recycled(), Lease.Source.WARM);
    }

    private Optional<Lease> claimSpare(Predicate<CliSession> suits, Lease.Source source) {
        for (CliSession spare : sessions) {
            if (spare.state() == SessionState.SPARE && suits.test(spare)) {
                Optional<CliSession> claimed = claim(spare, SessionState.SPARE);
                if (claimed.isPresent()) {
                    tally.add(source == Lease.Source.WARM ? Count.WARM_USED : Count.RECYCLED_USED);
                    return Optional.of(new Lease(claimed.get(), source));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * With recycling on, and when {@code when} holds: the least recently used conversation that can take the turn's
     * model gives up its process, which a rewind (~2 ms) empties. Far cheaper than starting a CLI or a never-used
     * spare's first turn.
     */
    private Optional<Lease> recycleOldest(Turn turn, BooleanSupplier when) {
        if (!settings.recycles() || !when.getAsBoolean()) {
            return Optional.empty();
        }
        Optional<CliSession> oldest = oldest(SessionState.LIVE, session -> session.canServe(turn))
                .filter(session -> session.move(SessionState.LIVE, SessionState.RECYCLING));
        if (oldest.isEmpty()) {
            return Optional.empty();
        }
        CliSession session = oldest.get();
        unfile(session);
        tally.add(Count.EVICTED);
        if (retirement(session).isPresent()) {
            end(session, Ending.KILL);
            return Optional.empty();
        }
        if (!rewindOrEnd(session, () -> session.rewind(REWIND_TIMEOUT, PromptEncoder.TurnInProgress.NONE, prompts))) {
            return Optional.empty();
        }
        if (!session.move(SessionState.RECYCLING, SessionState.IN_TURN)) {
            // it exited meanwhile
            end(session, Ending.KILL);
            return Optional.empty();
        }
        tally.add(Count.RECYCLED);
        tally.add(Count.RECYCLED_USED);
        return Optional.of(new Lease(session, Lease.Source.RECYCLED));
    }

    /**
     * Whether the least recently used conversation will leave the pool anyway once the turns in progress and this
     * one are kept: conversations past {@link #liveCap()} are evicted, oldest first.
     */
    private boolean oldestWillBeEvicted() {
        return count(state -> state == SessionState.LIVE || state == SessionState.IN_TURN) >= liveCap();
    }

    /** Whether a new process would take the idle processes past the budget. */
    private boolean full() {
        return count(SessionState::idle) >= settings.size();
    }

    /** Conversations may use what the spares leave, and at least one. */
    private int liveCap() {
        return Math.max(1, settings.size() - settings.warmSpares());
    }

    private interface Rewind {
        boolean run() throws InterruptedException;
    }

    /** Runs a rewind on the request's thread; a process that does not confirm it is ended. */
    private boolean rewindOrEnd(CliSession session, Rewind rewind) {
        try {
            if (rewind.run()) {
                return true;
            }
            LOG.fine(() -> "claude " + session.process().pid() + " was not rewound; stopping it");
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "rewinding failed", e);
        } catch (InterruptedException e) {
            end(session, Ending.KILL);
            Thread.currentThread().interrupt();
            throw new ProxyException(ErrorKind.UNAVAILABLE, "The server is shutting down.");
        }
        end(session, Ending.KILL);
        return false;
    }

    /**
     * When a process that could serve the turn is being rewound, waits for it a little: a rewind takes a few
     * milliseconds, a spawn costs ~0.4 CPU-seconds and a second or so of start-up, so a burst of new conversations
     * is served by the processes the last ones left rather than by fresh ones.
     */
    private Optional<Lease> awaitRecycled(Turn turn) {
        long deadline = System.nanoTime() + RECYCLE_WAIT.toNanos();
        while (sessions.stream().anyMatch(session -> session.state() == SessionState.RECYCLING
                && session.canServe(turn))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            synchronized (spareReady) {
                try {
                    spareReady.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            Optional<Lease> spare = takeRecycledSpare(turn).or(() -> takeWarmSpare(turn));
            if (spare.isPresent()) {
                return spare;
            }
        }
        return Optional.empty();
    }

    private Lease spawnFor(Turn turn) {
        CliSession session = spawner.spawn(turn.model(), CliSettings.Priority.FOREGROUND, SessionState.IN_TURN);
        register(session);
        tally.add(Count.COLD_STARTS);
        return new Lease(session, Lease.Source.COLD);
    }

    /**
     * Takes {@code session} from {@code from} for a request, if nobody else did first. A process that died while
     * idle is ended instead of handed out.
     */
    private Optional<CliSession> claim(CliSession session, SessionState from) {
        if (session == null || !session.move(from, SessionState.IN_TURN)) {
            return Optional.empty();
        }
        unfile(session);
        if (!session.process().checkIdle()) {
            tally.add(Count.DIED_IDLE);
            end(session, Ending.KILL);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    private void keepOrEnd(CliSession session, Turn turn, List<ContentBlock> answer) {
        if (closed || !settings.enabled()) {
            end(session, Ending.GRACEFUL);
            return;
        }
        Optional<String> retirement = retirement(session);
        if (retirement.isPresent()) {
            tally.add(Count.RETIRED);
            LOG.fine(() -> "claude " + session.process().pid() + " retires: " + retirement.get());
            end(session, Ending.GRACEFUL);
            return;
        }
        // the fingerprint (a digest of the whole conversation) only for a process that is kept
        ConversationKey.Filing filing = ConversationKey.afterTurn(turn, answer);
        session.markIdle(clock.instant());
        session.file(Optional.of(filing));
        replace(byConversation.put(filing.conversation(), session), session);
        filing.history().ifPresent(history -> replace(byHistory.put(history, session), session));
        if (!session.move(SessionState.IN_TURN, SessionState.LIVE)) {
            unfile(session);
            return;
        }
        trim();
    }

    /** Another process filed under the same conversation holds a duplicate of it: it leaves. */
    private void replace(CliSession previous, CliSession session) {
        if (previous == null || previous == session) {
            return;
        }
        if (previous.move(SessionState.LIVE, SessionState.RECYCLING)) {
            unfile(previous);
            retire(previous, PromptEncoder.TurnInProgress.NONE);
        } else if (previous.move(SessionState.AWAITING_TOOLS, SessionState.RECYCLING)) {
            unfile(previous);
            retire(previous, PromptEncoder.TurnInProgress.MAYBE);
        }
    }

    private void recycleOrEnd(CliSession session, PromptEncoder.TurnInProgress turn) {
        if (closed || !settings.recycles() || retirement(session).isPresent() || session.boundToSchema()
                || !session.move(SessionState.IN_TURN, SessionState.RECYCLING)) {
            end(session, Ending.KILL);
            return;
        }
        if (turn == PromptEncoder.TurnInProgress.MAYBE) {
            tally.add(Count.INTERRUPTED);
        }
        retire(session, turn);
        trim();
    }

    /** For a session already moved to {@link SessionState#RECYCLING}: rewound by the housekeeper, or ended. */
    private void retire(CliSession session, PromptEncoder.TurnInProgress turn) {
        if (!settings.recycles() || closed || retirement(session).isPresent() || session.boundToSchema()) {
            end(session, Ending.KILL);
            return;
        }
        toRecycle.add(new Recycle(session, turn));
        wakeHousekeeper();
    }

    /** Why a process may not serve another turn: too many turns, too old, or grown too big. */
    private Optional<String> retirement(CliSession session) {
        if (session.turns() >= settings.maxTurns()) {
            return Optional.of(session.turns() + " turns");
        }
        if (Duration.between(session.born(), clock.instant()).compareTo(settings.maxAge()) > 0) {
            return Optional.of("older than " + settings.maxAge().toSeconds() + " s");
        }
        OptionalLong resident = memory.residentBytes(session.process().pid());
        if (resident.isPresent()) {
            long growth = resident.getAsLong() - session.baselineMemory(resident.getAsLong());
            if (growth > settings.maxGrowthBytes()) {
                return Optional.of("memory grew by " + (growth >> 20) + " MB");
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps the budget: conversations may use what the spares leave (so live ones past that give way, oldest first,
     * and are recycled), and past the whole budget spares go, never-used ones first, since a rewound spare starts its
     * next turn sooner.
     */
    private void trim() {
        synchronized (trimLock) {
            while (count(state -> state == SessionState.LIVE) > liveCap()) {
                Optional<CliSession> oldest = oldest(SessionState.LIVE, session -> true)
                        .filter(session -> session.move(SessionState.LIVE, SessionState.RECYCLING));
                if (oldest.isEmpty()) {
                    break;
                }
                unfile(oldest.get());
                tally.add(Count.EVICTED);
                retire(oldest.get(), PromptEncoder.TurnInProgress.NONE);
            }
            while (count(SessionState::idle) > settings.size()) {
                Optional<CliSession> spare = oldest(SessionState.SPARE, session -> !session.recycled())
                        .or(() -> oldest(SessionState.SPARE, session -> true))
                        .filter(session -> session.move(SessionState.SPARE, SessionState.DEAD));
                if (spare.isEmpty()) {
                    break;
                }
                tally.add(Count.EVICTED);
                end(spare.get(), Ending.KILL);
            }
        }
    }

    private Optional<CliSession> oldest(SessionState state, Predicate<CliSession> suits) {
        return sessions.stream().filter(session -> session.state() == state && suits.test(session))
                .min(Comparator.comparing(CliSession::idleSince));
    }

    private long count(Predicate<SessionState> which) {
        return sessions.stream().filter(session -> which.test(session.state())).count();
    }

    private void unfile(CliSession session) {
        session.filing().ifPresent(filing -> {
            byConversation.remove(filing.conversation(), session);
            filing.history().ifPresent(history -> byHistory.remove(history, session));
        });
        session.file(Optional.empty());
    }

    /** Ends a session from whatever state it is in; a graceful end lets a finished CLI exit on its own. */
    private void end(CliSession session, Ending ending) {
        session.markIdle(clock.instant());
        session.markDead();
        unfile(session);
        switch (ending) {
            case GRACEFUL -> session.process().closeInput();
            case KILL -> session.process().kill();
        }
    }

    private void register(CliSession session) {
        sessions.add(session);
        tally.add(Count.SPAWNED);
        session.process().onExit(() -> exited(session));
        if (closed) {
            // Started while the pool closed (a spare of the housekeeper, or a cold start): close() set the flag
            // before it swept the sessions, so either that sweep saw this one or this check sees the flag.
            end(session, Ending.KILL);
        }
    }

    /** Called once a process has exited, however that happened. */
    private void exited(CliSession session) {
        SessionState last = session.state();
        if (session.markDead() && last.idle()) {
            tally.add(Count.DIED_IDLE);
            LOG.fine(() -> "claude " + session.process().pid() + " exited while " + last);
        }
        unfile(session);
        sessions.remove(session);
    }

    private void wakeHousekeeper() {
        wake.release();
    }

    private void housekeep() {
        while (!closed) {
            try {
                wake.tryAcquire(TICK.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                for (Recycle next = toRecycle.poll(); next != null && !closed; next = toRecycle.poll()) {
                    rewindToSpare(next);
                }
                if (closed) {
                    return;
                }
                expireAndReap();
                topUp();
            } catch (InterruptedException shuttingDown) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "pool housekeeping failed", e);
            }
        }
    }

    private void rewindToSpare(Recycle recycle) throws InterruptedException {
        CliSession session = recycle.session();
        boolean rewound = false;
        try {
            rewound = !closed && session.rewind(REWIND_TIMEOUT, recycle.turn(), prompts);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "recycling failed", e);
        } catch (InterruptedException e) {
            end(session, Ending.KILL);
            throw e;
        }
        if (rewound && session.move(SessionState.RECYCLING, SessionState.SPARE)) {
            tally.add(Count.RECYCLED);
            synchronized (spareReady) {
                spareReady.notifyAll();
            }
            trim();
        } else {
            end(session, Ending.KILL);
        }
    }

    private void expireAndReap() {
        Instant now = clock.instant();
        for (CliSession session : sessions) {
            switch (session.state()) {
                case LIVE -> {
                    if (Duration.between(session.idleSince(), now).compareTo(settings.liveTtl()) > 0
                            && session.move(SessionState.LIVE, SessionState.RECYCLING)) {
                        unfile(session);
                        tally.add(Count.EXPIRED);
                        retire(session, PromptEncoder.TurnInProgress.NONE);
                    }
                }
                case AWAITING_TOOLS -> {
                    if (Duration.between(session.idleSince(), now).compareTo(settings.toolWait()) > 0
                            && session.move(SessionState.AWAITING_TOOLS, SessionState.RECYCLING)) {
                        LOG.fine(() -> "claude " + session.process().pid() + " waited past --tool-wait for results");
                        unfile(session);
                        tally.add(Count.EXPIRED);
                        retire(session, PromptEncoder.TurnInProgress.MAYBE);
                    }
                }
                case SPARE -> {
                    if (Duration.between(session.born(), now).compareTo(settings.maxAge()) > 0
                            && session.move(SessionState.SPARE, SessionState.DEAD)) {
                        tally.add(Count.EXPIRED);
                        end(session, Ending.KILL);
                    }
                }
                case DEAD -> {
                    if (Duration.between(session.idleSince(), now).compareTo(EXIT_GRACE) > 0) {
                        LOG.fine(() -> "claude " + session.process().pid() + " did not exit after its turn");
                        session.process().kill();
                    }
                }
                case IN_TURN, RECYCLING -> {
                    // owned by a request or by the rewind in progress
                }
            }
        }
    }

    private void topUp() {
        while (!closed && wantsSpare() && !busy.getAsBoolean()) {
            CliSession spare;
            try {
                spare = spawner.spawn(spareModel, CliSettings.Priority.BACKGROUND, SessionState.SPARE);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not start a warm CLI process", e);
                return;
            }
            register(spare);
            tally.add(Count.WARM_SPAWNED);
            // Conversations may have taken the room while it started.
            trim();
        }
    }

    /**
     * Whether to start a spare: fewer spares than wanted, those being rewound included (they serve new conversations
     * sooner than a fresh one), and room in the budget.
     */
    private boolean wantsSpare() {
        return settings.enabled()
                && count(state -> state == SessionState.SPARE || state == SessionState.RECYCLING)
                        < settings.warmSpares()
                && count(SessionState::idle) < settings.size();
    }

    public Map<String, Long> stats() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("processes", (long) sessions.size());
        stats.put("spawned", tally.get(Count.SPAWNED));
        stats.put("cold_starts", tally.get(Count.COLD_STARTS));
        stats.put("pool_size", (long) settings.size());
        if (!settings.enabled()) {
            return stats;
        }
        stats.put("warm", count(state -> state == SessionState.SPARE));
        stats.put("live_conversations", count(state -> state == SessionState.LIVE));
        stats.put("awaiting_tools", count(state -> state == SessionState.AWAITING_TOOLS));
        for (Count count : List.of(Count.WARM_SPAWNED, Count.WARM_USED, Count.LIVE_REUSED, Count.TOOL_ROUNDS,
                Count.REWOUND,
                Count.EVICTED, Count.EXPIRED, Count.DIED_IDLE, Count.RETIRED)) {
            stats.put(count.key(), tally.get(count));
        }
        if (settings.recycles()) {
            for (Count count : List.of(Count.RECYCLED, Count.RECYCLED_USED, Count.INTERRUPTED)) {
                stats.put(count.key(), tally.get(count));
            }
        }
        return stats;
    }

    /** Stops every process, whatever it is doing. Called once, at shutdown. */
    @Override
    public void close() {
        closed = true;
        housekeeper.interrupt();
        for (CliSession session : sessions) {
            LOG.fine(() -> "stopping claude " + session.process().pid());
            end(session, Ending.KILL);
        }
    }
}
