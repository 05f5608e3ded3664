package dev.claudemaxapi.bench;

import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.core.Usage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine that costs nothing: a fixed answer at once, so a benchmark measures only the proxy. Optionally each
 * answer is held after its first event until {@link #release()}, to keep many streams open at once.
 */
final class ZeroCostEngine implements Engine {
    private static final List<Event> ANSWER = List.of(
            new Event.MessageStart("msg_bench", "claude-bench", new Usage(10, 1, 0, 0)),
            new Event.BlockStart(0, BlockType.TEXT),
            new Event.BlockDelta(0, BlockType.TEXT, "Hello"),
            new Event.BlockDelta(0, BlockType.TEXT, " world"),
            new Event.BlockStop(0),
            new Event.MessageDelta(StopReason.END_TURN, new Usage(10, 2, 0, 0)),
            new Event.MessageStop());

    private final CountDownLatch released;
    final AtomicInteger holding = new AtomicInteger();

    private ZeroCostEngine(boolean hold) {
        this.released = new CountDownLatch(hold ? 1 : 0);
    }

    static ZeroCostEngine instant() {
        return new ZeroCostEngine(false);
    }

    static ZeroCostEngine holding() {
        return new ZeroCostEngine(true);
    }

    void release() {
        released.countDown();
    }

    @Override
    public EventStream start(Turn turn) {
        Deque<Event> events = new ArrayDeque<>(ANSWER);
        return new EventStream() {
            private boolean held;

            @Override
            public Event next(Duration timeout) throws InterruptedException {
                if (events.size() == ANSWER.size() - 1 && !held && released.getCount() > 0) {
                    holding.incrementAndGet();
                    held = true;
                }
                if (held && !released.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return null;
                }
                return events.removeFirst();
            }

            @Override
            public void close() {
                if (held) {
                    holding.decrementAndGet();
                    held = false;
                }
            }
        };
    }

    @Override
    public EngineInfo info() {
        return new EngineInfo("none", "bench", Map.of());
    }

    @Override
    public void close() {
        release();
    }
}
