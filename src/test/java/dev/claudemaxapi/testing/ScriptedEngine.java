package dev.claudemaxapi.testing;

import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link Engine} for tests that replays the same scripted steps for every turn it starts: emit an event, fail with
 * a {@link ProxyException} (or crash with any runtime exception), or hold: stay silent until {@link #release()} is
 * called or the stream is closed. It records the turns it was given and how their streams ended, and lets tests wait
 * for both with a deadline instead of sleeping. Thread-safe.
 */
public final class ScriptedEngine implements Engine {

    /** One step of a scripted answer. */
    public sealed interface Step {
        /** The stream returns this event. */
        record Emit(Event event) implements Step {}

        /** The stream throws this; the answer is over after that. */
        record Fail(RuntimeException failure) implements Step {}

        /** The stream stays silent (returns {@code null} after each timeout) until the engine is released. */
        record Hold() implements Step {}
    }

    public static final String MODEL = "claude-sonnet-5-5";
    public static final String MESSAGE_ID = "msg_01ScriptedAnswer";
    public static final Usage START_USAGE = new Usage(25, 1, 0, 0);
    public static final Usage FINAL_USAGE = new Usage(25, 7, 0, 0);
    public static final EngineInfo INFO =
            new EngineInfo("/opt/claude/bin/claude", "2.1.328 (Claude Code)", Map.of("cold_starts", 3L));

    private final List<Step> script;
    private final RuntimeException startFailure;
    private final List<Turn> turns = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean released;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final AtomicInteger closedStreams = new AtomicInteger();
    private final AtomicInteger cancelledStreams = new AtomicInteger();
    private final Semaphore silentPolls = new Semaphore(0);
    private volatile boolean engineClosed;
    private volatile Duration closeTakes = Duration.ZERO;

    private ScriptedEngine(List<Step> script, RuntimeException startFailure) {
        this.script = List.copyOf(script);
        this.startFailure = startFailure;
    }

    /** Answers every turn with {@code deltas} as one text block, ending normally; see {@link Reply}. */
    public static ScriptedEngine replying(String... deltas) {
        return new ScriptedEngine(reply(deltas).steps(), null);
    }

    /** Replays {@code steps} for every turn. */
    public static ScriptedEngine scripted(List<Step> steps) {
        return new ScriptedEngine(steps, null);
    }

    /** Replays {@code steps} for every turn. */
    public static ScriptedEngine scripted(Step... steps) {
        return scripted(List.of(steps));
    }

    /**
     * Makes closing a stream take {@code time} before it counts as closed, as an engine that does work on close (the
     * CLI engine hands its process back to the pool), so a test can tell what a client saw before the close ended.
     */
    public ScriptedEngine closingIn(Duration time) {
        this.closeTakes = time;
        return this;
    }

    /** Refuses to start any answer: {@link #start} itself throws {@code failure}. */
    public static ScriptedEngine failingOnStart(RuntimeException failure) {
        return new ScriptedEngine(List.of(), Objects.requireNonNull(failure, "failure"));
    }

    /** A well-formed answer; change it with the {@code with*} methods, then take its {@link #steps()}. */
    public static Reply reply(String... deltas) {
        return new Reply(MODEL, MESSAGE_ID, START_USAGE, FINAL_USAGE, StopReason.END_TURN, List.of(deltas));
    }

    public static Step emit(Event event) {
        return new Step.Emit(event);
    }

    public static Step fail(RuntimeException failure) {
        return new Step.Fail(failure);
    }

    public static Step hold() {
        return new Step.Hold();
    }

    /** The event sequence of one answer with a single text block, as the CLI engine produces it. */
    public record Reply(String model, String id, Usage startUsage, Usage finalUsage, StopReason stopReason,
            List<String> deltas) {
        public Reply {
            deltas = List.copyOf(deltas);
        }

        public Reply withStopReason(StopReason reason) {
            return new Reply(model, id, startUsage, finalUsage, reason, deltas);
        }

        public Reply withFinalUsage(Usage usage) {
            return new Reply(model, id, startUsage, usage, stopReason, deltas);
        }

        public Reply withModel(String name) {
            return new Reply(name, id, startUsage, finalUsage, stopReason, deltas);
        }

        /** MessageStart, BlockStart, one BlockDelta per delta, BlockStop, MessageDelta, MessageStop. */
        public List<Step> steps() {
            List<Step> steps = new ArrayList<>();
            steps.add(emit(new Event.MessageStart(id, model, startUsage)));
            steps.add(emit(new Event.BlockStart(0, BlockType.TEXT)));
            for (String delta : deltas) {
                steps.add(emit(new Event.BlockDelta(0, BlockType.TEXT, delta)));
            }
            steps.add(emit(new Event.BlockStop(0)));
            steps.add(emit(new Event.MessageDelta(stopReason, finalUsage)));
            steps.add(emit(new Event.MessageStop()));
            return steps;
        }

        /** These steps with step {@code n} (0-based) replaced by a failure. */
        public List<Step> failingAt(int n, RuntimeException failure) {
            List<Step> steps = new ArrayList<>(steps().subList(0, n));
            steps.add(fail(failure));
            return steps;
        }

        /** These steps with a {@link Step.Hold} inserted before step {@code n} (0-based). */
        public List<Step> holdingAt(int n) {
            List<Step> steps = new ArrayList<>(steps());
            steps.add(n, hold());
            return steps;
        }
    }

    @Override
    public EventStream start(Turn turn) {
        turns.add(turn);
        started.countDown();
        if (startFailure != null) {
            throw startFailure;
        }
        return new ScriptedStream();
    }

    @Override
    public EngineInfo info() {
        return INFO;
    }

    @Override
    public void close() {
        engineClosed = true;
        release();
    }

    /** Lets every held stream go on with its script. */
    public void release() {
        lock.lock();
        try {
            released = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The turns started so far, oldest first. */
    public List<Turn> turns() {
        return List.copyOf(turns);
    }

    /** Waits until a turn was started; false if none was within {@code timeout}. */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return started.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits until a stream was closed, however it ended; false if none was within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits until a stream was closed before its answer was complete (before MessageStop or a failure). */
    public boolean awaitCancelled(Duration timeout) throws InterruptedException {
        return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until {@code n} calls to {@link EventStream#next} have come back empty-handed (in total, counted from
     * the last call of this method): proof that a stream was silent for that many timeouts.
     */
    public boolean awaitSilentPolls(int n, Duration timeout) throws InterruptedException {
        return silentPolls.tryAcquire(n, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public int closedStreams() {
        return closedStreams.get();
    }

    /** Streams closed before their answer was complete. */
    public int cancelledStreams() {
        return cancelledStreams.get();
    }

    public boolean engineClosed() {
        return engineClosed;
    }

    private final class ScriptedStream implements EventStream {
        private final ReentrantLock streamLock = new ReentrantLock();
        private int position;
        private boolean finished;
        private boolean streamClosed;

        @Override
        public Event next(Duration timeout) throws InterruptedException {
            streamLock.lock();
            try {
                if (streamClosed) {
                    throw new IllegalStateException("next() after close()");
                }
                if (finished) {
                    throw new IllegalStateException("next() after the answer ended");
                }
                while (position < script.size() && script.get(position) instanceof Step.Hold) {
                    if (!awaitRelease(timeout)) {
                        silentPolls.release();
                        return null;
                    }
                    position++;
                }
                if (position >= script.size()) {
                    // an unfinished script stays silent, like a stalled model, even once released
                    stayQuiet(timeout);
                    silentPolls.release();
                    return null;
                }
                Step step = script.get(position++);
                return switch (step) {
                    case Step.Emit emit -> {
                        if (emit.event() instanceof Event.MessageStop) {
                            finished = true;
                        }
                        yield emit.event();
                    }
                    case Step.Fail fail -> {
                        finished = true;
                        throw fail.failure();
                    }
                    case Step.Hold ignored -> throw new AssertionError("holds are consumed above");
                };
            } finally {
                streamLock.unlock();
            }
        }

        /** @return true once released; false when {@code timeout} passed first */
        private boolean awaitRelease(Duration timeout) throws InterruptedException {
            long left = timeout.toNanos();
            lock.lock();
            try {
                while (!released) {
                    if (left <= 0) {
                        return false;
                    }
                    left = changed.awaitNanos(left);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void stayQuiet(Duration timeout) throws InterruptedException {
            long left = timeout.toNanos();
            lock.lock();
            try {
                while (left > 0) {
                    left = changed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            boolean wasFinished;
            // from another thread, this waits at most one next() timeout
            streamLock.lock();
            try {
                if (streamClosed) {
                    return;
                }
                streamClosed = true;
                wasFinished = finished;
            } finally {
                streamLock.unlock();
            }
            try {
                Thread.sleep(closeTakes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closedStreams.incrementAndGet();
            if (!wasFinished) {
                cancelledStreams.incrementAndGet();
                cancelled.countDown();
            }
            closed.countDown();
        }
    }
}
