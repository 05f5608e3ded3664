package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(7);
    private static final long WAIT_SECONDS = 10;

    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    @Test
    void admitsUpToTheCapAtOnce() throws InterruptedException {
        Admission admission = new Admission(2, 0, RETRY_AFTER);

        Admission.Permit first = admission.enter();
        Admission.Permit second = admission.enter();

        assertThat(admission.inFlight()).isEqualTo(2);
        assertThat(admission.isFull()).isTrue();
        assertThat(admission.queued()).isZero();
        first.close();
        second.close();
        assertThat(admission.inFlight()).isZero();
        assertThat(admission.isFull()).isFalse();
    }

    @Test
    void refusesWith429AndRetryAfterWhenNoQueueIsAllowed() throws InterruptedException {
        Admission admission = new Admission(1, 0, RETRY_AFTER);
        admission.enter();

        ProxyException refused = catchThrowableOfType(ProxyException.class, admission::enter);

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(refused.retryAfter()).contains(RETRY_AFTER);
        assertThat(refused.getMessage()).isEqualTo("Too many requests: 1 running and 0 queued. Try again shortly.");
        assertThat(admission.queued()).isZero();
    }

    @Test
    void refusesOnlyArrivalsPastTheQueueBound() throws Exception {
        Admission admission = new Admission(1, 2, RETRY_AFTER);
        Admission.Permit running = admission.enter();
        BlockingQueue<Admission.Permit> admitted = new LinkedBlockingQueue<>();
        Thread first = enterInBackground(admission, admitted);
        awaitTrue(() -> admission.queued() == 1 && parked(first));
        Thread second = enterInBackground(admission, admitted);
        awaitTrue(() -> admission.queued() == 2 && parked(second));

        ProxyException refused = catchThrowableOfType(ProxyException.class, admission::enter);

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfter()).contains(RETRY_AFTER);
        assertThat(refused.getMessage()).isEqualTo("Too many requests: 1 running and 2 queued. Try again shortly.");
        assertThat(admission.queued()).as("a refused arrival leaves no trace in the queue").isEqualTo(2);
        assertThat(admitted).isEmpty();
        running.close();
        admitted.poll(WAIT_SECONDS, TimeUnit.SECONDS).close();
        admitted.poll(WAIT_SECONDS, TimeUnit.SECONDS).close();
        assertThat(admission.queued()).isZero();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void closingAPermitLetsTheNextWaiterIn() throws Exception {
        Admission admission = new Admission(1, 1, RETRY_AFTER);
        Admission.Permit running = admission.enter();
        BlockingQueue<Admission.Permit> admitted = new LinkedBlockingQueue<>();
        Thread waiter = enterInBackground(admission, admitted);
        awaitTrue(() -> admission.queued() == 1 && parked(waiter));
        assertThat(admitted).isEmpty();

        running.close();

        Admission.Permit next = admitted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(admission.queued()).isZero();
        assertThat(admission.inFlight()).isEqualTo(1);
        next.close();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void closingAPermitTwiceReleasesOneSlot() throws InterruptedException {
        Admission admission = new Admission(2, 0, RETRY_AFTER);
        Admission.Permit first = admission.enter();
        admission.enter();

        first.close();
        first.close();

        assertThat(admission.inFlight()).isEqualTo(1);
        admission.enter();
        assertThatThrownBy(admission::enter).isInstanceOf(ProxyException.class);
    }

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        Admission admission = new Admission(1, 3, RETRY_AFTER);
        Admission.Permit running = admission.enter();
        BlockingQueue<String> order = new LinkedBlockingQueue<>();
        for (String name : List.of("first", "second", "third")) {
            int before = admission.queued();
            Thread waiter = start(() -> {
                try (Admission.Permit ignored = admission.enter()) {
                    order.add(name);
                }
                return null;
            });
            awaitTrue(() -> admission.queued() == before + 1 && parked(waiter));
        }

        running.close();

        List<String> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(order.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        assertThat(admitted).containsExactly("first", "second", "third");
    }

    /**
     * A slot freed while someone waits belongs to the waiter. Whether a newcomer can barge in depends on thread
     * scheduling, so the race is run many times; with fair hand-over no round ever lets the newcomer first.
     */
    @Test
    void aNewcomerNeverOvertakesAWaiter() throws Exception {
        for (int round = 0; round < 200; round++) {
            // room for two waiters, so the newcomer is never refused while the waiter is still counted as queued
            Admission admission = new Admission(1, 2, RETRY_AFTER);
            Admission.Permit running = admission.enter();
            BlockingQueue<String> order = new LinkedBlockingQueue<>();
            CountDownLatch waiterDone = new CountDownLatch(1);
            Thread waiter = start(() -> {
                try (Admission.Permit ignored = admission.enter()) {
                    order.add("waiter");
                }
                waiterDone.countDown();
                return null;
            });
            awaitTrue(() -> admission.queued() == 1 && parked(waiter));

            running.close();
            try (Admission.Permit ignored = admission.enter()) {
                order.add("newcomer");
            }

            assertThat(waiterDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(List.copyOf(order)).as("round %d", round).containsExactly("waiter", "newcomer");
        }
    }

    @Test
    void rejectsAnImpossibleConfiguration() {
        assertThatThrownBy(() -> new Admission(0, 1, RETRY_AFTER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Admission(1, -1, RETRY_AFTER)).isInstanceOf(IllegalArgumentException.class);
    }

    private interface Body {
        Void run() throws Exception;
    }

    private Thread start(Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException ignored) {
                // the test is over and stopThreads() interrupted a waiter
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    private Thread enterInBackground(Admission admission, BlockingQueue<Admission.Permit> admitted) {
        return start(() -> {
            admitted.add(admission.enter());
            return null;
        });
    }

    /** True once the thread is blocked inside the semaphore, not merely counted as queued. */
    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT_SECONDS + "s");
            }
            Thread.onSpinWait();
        }
    }
}
