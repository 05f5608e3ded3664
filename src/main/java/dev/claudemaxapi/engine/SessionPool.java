package dev.claudemaxapi.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The idle CLI processes: warm spares (started, waiting on stdin, for new conversations) and live conversations
 * (a process that just answered, filed under its conversation's {@link ConversationKey}). Both share one budget,
 * {@link PoolSettings#size()}; past it the least recently used conversation is stopped.
 *
 * <p>One background thread keeps the spares topped up, one spawn at a time, at low CPU priority, and never while
 * {@code busy} says every request slot is taken, so warming never competes with answers. The same thread expires
 * conversations past their TTL and drops processes that died while idle; a process is also checked when it is taken,
 * so a dead one is never handed to a request.
 */
final class SessionPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionPool.class.getName());
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration REWIND_TIMEOUT = Duration.ofSeconds(10);

    private final PoolSettings settings;
    /** Spawns a spare for the given model, in the background. */
    private final Function<String, CliSession> spawner;
    private final BooleanSupplier busy;
    private final Clock clock;
    private final PromptEncoder prompts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<CliSession> spares = new ArrayDeque<>();
    private final LinkedHashMap<String, CliSession> live = new LinkedHashMap<>(16, 0.75f, true);
    private final Semaphore wake = new Semaphore(0);
    private final Thread maintainer;
    private volatile boolean closed;
    private volatile String spareModel;

    private final AtomicLong warmSpawned = new AtomicLong();
    private final AtomicLong warmTaken = new AtomicLong();
    private final AtomicLong liveTaken = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong diedIdle = new AtomicLong();
    private final AtomicLong recycledTaken = new AtomicLong();
    private final AtomicLong recycledMade = new AtomicLong();
    private final AtomicLong interrupted = new AtomicLong();

    SessionPool(PoolSettings settings, String initialModel, Function<String, CliSession> spawner, BooleanSupplier busy,
            Clock clock, PromptEncoder prompts) {
        this.settings = settings;
        this.prompts = prompts;
        this.spareModel = initialModel;
        this.spawner = spawner;
        this.busy = busy;
        this.clock = clock;
        this.maintainer = Thread.ofVirtual().name("cli-pool").start(this::maintain);
    }

    /** Which spares a request may take. */
    enum Spares {
        /** Only rewound ones, which start their first turn at once. */
        RECYCLED,
        /** Also never-used ones, which take a model switch before their first turn. */
        ANY
    }

    /**
     * A spare process for a new conversation on {@code model}: a rewound one that can take it, else (when
     * {@code which} allows) an unused one. The pool starts a replacement.
     */
    Optional<CliSession> takeSpare(String model, Optional<String> system, Spares which) {
        if (which == Spares.ANY) {
            spareModel = model;
        }
        CliSession session;
        lock.lock();
        try {
            session = spares.stream().filter(spare -> spare.fits(model, system)).findFirst()
                    .or(() -> which == Spares.ANY
                            ? spares.stream().filter(spare -> !spare.recycled()).findFirst() : Optional.empty())
                    .orElse(null);
            spares.remove(session);
        } finally {
            lock.unlock();
        }
        wake.release();
        if (session == null) {
            return Optional.empty();
        }
        if (!session.process().checkIdle()) {
            diedIdle.incrementAndGet();
            session.process().kill();
            return takeSpare(model, system, which);
        }
        (session.recycled() ? recycledTaken : warmTaken).incrementAndGet();
        return Optional.of(session);
    }

    /**
     * With recycling on, when no spare is left and the pool is full: the least recently used conversation that can
     * take {@code model} gives up its process, which a rewind (~2 ms) empties for a new conversation. Far cheaper
     * than starting a CLI, and that conversation would be the next one evicted anyway.
     */
    Optional<CliSession> recycleOldest(String model, Optional<String> system) throws InterruptedException {
        if (!settings.recycle()) {
            return Optional.empty();
        }
        CliSession oldest = null;
        lock.lock();
        try {
            if (spares.size() + live.size() < settings.size()) {
                // room for a new process: no conversation gives way
                return Optional.empty();
            }
            for (Iterator<CliSession> it = live.values().iterator(); it.hasNext(); ) {
                CliSession candidate = it.next();
                if (candidate.canServe(model, system)) {
                    oldest = candidate;
                    it.remove();
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (oldest == null) {
            return Optional.empty();
        }
        evicted.incrementAndGet();
        try {
            if (reusable(oldest, clock.instant())
                    && oldest.rewind(REWIND_TIMEOUT, PromptEncoder.TurnInProgress.NONE, prompts)) {
                recycledMade.incrementAndGet();
                recycledTaken.incrementAndGet();
                return Optional.of(oldest);
            }
        } catch (RuntimeException died) {
            LOG.log(Level.FINE, "rewinding the oldest conversation failed", died);
        } catch (InterruptedException shuttingDown) {
            oldest.process().kill();
            throw shuttingDown;
        }
        oldest.process().kill();
        return Optional.empty();
    }

    /** The live process of the conversation with this key, removed from the pool; empty if there is none. */
    Optional<CliSession> takeLive(String key) {
        CliSession session;
        lock.lock();
        try {
            session = live.remove(key);
        } finally {
            lock.unlock();
        }
        if (session == null) {
            return Optional.empty();
        }
        if (!session.process().checkIdle()) {
            diedIdle.incrementAndGet();
            session.process().kill();
            return Optional.empty();
        }
        liveTaken.incrementAndGet();
        return Optional.of(session);
    }

    /**
     * Keeps a process that just answered for the conversation's next turn.
     *
     * @return false if it cannot be kept (too old, too many turns, pool closed); the caller then ends it
     */
    boolean keepLive(String key, CliSession session) {
        Instant now = clock.instant();
        if (closed || session.turns() >= settings.maxTurns()
                || Duration.between(session.born(), now).compareTo(settings.maxAge()) > 0) {
            return false;
        }
        session.markIdle(now);
        List<CliSession> retired = new ArrayList<>();
        List<CliSession> victims = new ArrayList<>();
        lock.lock();
        try {
            CliSession replaced = live.put(key, session);
            if (replaced != null) {
                victims.add(replaced);
            }
            // Conversations may use what the spares leave; a spare gives way to a conversation past the budget.
            int liveCap = Math.max(1, settings.size() - settings.warmSpares());
            while (live.size() > liveCap) {
                Iterator<CliSession> eldest = live.values().iterator();
                retired.add(eldest.next());
                eldest.remove();
                evicted.incrementAndGet();
            }
            while (!spares.isEmpty() && spares.size() + live.size() > settings.size()) {
                victims.add(spares.pollFirst());
                evicted.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
        victims.forEach(victim -> victim.process().kill());
        retired.forEach(this::retire);
        return true;
    }

    /** A process handed out as idle turned out dead when the request wrote to it. */
    void diedWhenTaken() {
        diedIdle.incrementAndGet();
    }

    Map<String, Long> stats() {
        lock.lock();
        try {
            Map<String, Long> stats = new LinkedHashMap<>();
            stats.put("pool_size", (long) settings.size());
            stats.put("warm", (long) spares.size());
            stats.put("live_conversations", (long) live.size());
            stats.put("warm_spawned", warmSpawned.get());
            stats.put("warm_used", warmTaken.get());
            stats.put("live_reused", liveTaken.get());
            stats.put("evicted", evicted.get());
            stats.put("expired", expired.get());
            stats.put("died_idle", diedIdle.get());
            if (settings.recycle()) {
                stats.put("recycled", recycledMade.get());
                stats.put("recycled_used", recycledTaken.get());
                stats.put("interrupted", interrupted.get());
            }
            return stats;
        } finally {
            lock.unlock();
        }
    }

    private void maintain() {
        while (!closed) {
            try {
                wake.tryAcquire(TICK.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (closed) {
                    return;
                }
                expireAndReap();
                topUp();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "pool maintenance failed", e);
            }
        }
    }

    private void expireAndReap() {
        Instant now = clock.instant();
        List<CliSession> victims = new ArrayList<>();
        List<CliSession> retired = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<CliSession> it = live.values().iterator(); it.hasNext(); ) {
                CliSession session = it.next();
                boolean stale = Duration.between(session.idleSince(), now).compareTo(settings.liveTtl()) > 0;
                if (stale || !session.process().isAlive()) {
                    it.remove();
                    (stale ? retired : victims).add(session);
                    (stale ? expired : diedIdle).incrementAndGet();
                }
            }
            for (Iterator<CliSession> it = spares.iterator(); it.hasNext(); ) {
                CliSession session = it.next();
                boolean old = Duration.between(session.born(), now).compareTo(settings.maxAge()) > 0;
                if (old || !session.process().isAlive()) {
                    it.remove();
                    victims.add(session);
                    (old ? expired : diedIdle).incrementAndGet();
                }
            }
        } finally {
            lock.unlock();
        }
        victims.forEach(victim -> victim.process().kill());
        retired.forEach(this::retire);
    }

    /**
     * For a turn whose client left: rewinds the conversation, interrupting the turn when it may still run (the
     * process stays up), then keeps the process as a spare. Any trouble on the way stops it instead.
     */
    void recycleAbandoned(CliSession session, PromptEncoder.TurnInProgress turn) {
        if (!settings.recycle() || closed || !reusable(session, clock.instant())) {
            session.process().kill();
            return;
        }
        if (turn == PromptEncoder.TurnInProgress.MAYBE) {
            interrupted.incrementAndGet();
        }
        Thread.ofVirtual().name("cli-recycle").start(() -> rewindToSpare(session, turn));
    }

    /**
     * Ends a conversation whose process leaves the pool: with recycling on, a rewind to its first message empties
     * the process (in the background, ~2 ms) and it becomes a spare for any new conversation; otherwise, or when
     * the process is due for retirement, it is stopped.
     */
    private void retire(CliSession session) {
        if (!settings.recycle() || closed || !reusable(session, clock.instant())) {
            session.process().kill();
            return;
        }
        Thread.ofVirtual().name("cli-recycle").start(() -> rewindToSpare(session, PromptEncoder.TurnInProgress.NONE));
    }

    private void rewindToSpare(CliSession session, PromptEncoder.TurnInProgress turn) {
        try {
            if (session.rewind(REWIND_TIMEOUT, turn, prompts)) {
                addRecycled(session);
                return;
            }
            LOG.fine(() -> "claude " + session.process().pid() + " was not rewound; stopping it");
        } catch (InterruptedException | RuntimeException e) {
            LOG.log(Level.FINE, "recycling failed", e);
        }
        session.process().kill();
    }

    /** Whether a process may serve another conversation: not too many turns, not too old. */
    private boolean reusable(CliSession session, Instant now) {
        return session.turns() < settings.maxTurns()
                && Duration.between(session.born(), now).compareTo(settings.maxAge()) <= 0;
    }

    private void addRecycled(CliSession session) {
        CliSession displacedSpare = null;
        boolean kept = false;
        lock.lock();
        try {
            if (!closed) {
                if (spares.size() + live.size() >= settings.size()) {
                    // a rewound process starts its next turn at once: it takes the place of the oldest spare
                    displacedSpare = spares.pollFirst();
                }
                if (spares.size() + live.size() < settings.size()) {
                    spares.addLast(session);
                    recycledMade.incrementAndGet();
                    kept = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (displacedSpare != null) {
            displacedSpare.process().kill();
        }
        if (!kept) {
            session.process().kill();
        }
    }

    private void topUp() {
        while (!closed && wantsSpare() && !busy.getAsBoolean()) {
            CliSession spare;
            try {
                spare = spawner.apply(spareModel);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not start a warm CLI process", e);
                return;
            }
            warmSpawned.incrementAndGet();
            lock.lock();
            try {
                // Conversations may have taken the room while it started.
                if (!closed && spares.size() + live.size() < settings.size()) {
                    spares.addLast(spare);
                    spare = null;
                }
            } finally {
                lock.unlock();
            }
            if (spare != null) {
                spare.process().kill();
            }
        }
    }

    /**
     * Whether to start a spare: fewer spares than wanted, rewound ones included (they serve new conversations sooner
     * than a fresh one), and room in the budget. Counting only fresh spares would start processes that the next
     * rewound one displaces.
     */
    private boolean wantsSpare() {
        lock.lock();
        try {
            return spares.size() < settings.warmSpares() && spares.size() + live.size() < settings.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        maintainer.interrupt();
        List<CliSession> all = new ArrayList<>();
        lock.lock();
        try {
            all.addAll(spares);
            all.addAll(live.values());
            spares.clear();
            live.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(session -> session.process().kill());
    }
}
