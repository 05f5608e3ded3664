package dev.claudemaxapi.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrency cap: at most {@code maxConcurrent} answers run, at most {@code maxQueue} more wait in arrival
 * order, and anyone past that is refused at once with a 429 and a Retry-After.
 */
public final class Admission {

    /** A running slot; closing it lets the next waiter in. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore slots;
    private final int maxConcurrent;
    private final int maxQueue;
    private final Duration retryAfter;
    private final AtomicInteger waiting = new AtomicInteger();

    public Admission(int maxConcurrent, int maxQueue, Duration retryAfter) {
        if (maxConcurrent < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1 and maxQueue >= 0");
        }
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
        this.retryAfter = retryAfter;
    }

    /**
     * Takes a slot, waiting in the queue if all are busy.
     *
     * @throws ProxyException (429) when the queue is full
     */
    public Permit enter() throws InterruptedException {
        // tryAcquire() would barge past queued waiters even on a fair semaphore; the timed form honours fairness
        if (!slots.tryAcquire(0, TimeUnit.SECONDS)) {
            if (waiting.incrementAndGet() > maxQueue) {
                waiting.decrementAndGet();
                throw new ProxyException(ErrorKind.RATE_LIMITED,
                        "Too many requests: " + maxConcurrent + " running and " + maxQueue
                                + " queued. Try again shortly.", null, retryAfter, null);
            }
            try {
                slots.acquire();
            } finally {
                waiting.decrementAndGet();
            }
        }
        return new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    slots.release();
                }
            }
        };
    }

    public int inFlight() {
        return maxConcurrent - slots.availablePermits();
    }

    public int queued() {
        return waiting.get();
    }

    public boolean isFull() {
        return slots.availablePermits() == 0;
    }
}
