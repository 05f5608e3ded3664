package dev.claudemaxapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's decisions, with stand-in processes (a small shell loop that reads stdin and answers a rewind as the CLI
 * does) and a clock the test moves: budget, least recently used first out, TTL, retirement, dead spares, recycling,
 * and many takers racing for one spare.
 */
class SessionPoolTest {
    /** Reads lines; answers {@code rewind_conversation} with {@code rewound:true}, as the CLI 2.1.328 does. */
    private static final String STAND_IN = """
            while IFS= read -r line; do
              case "$line" in
                *rewind_conversation*)
                  id=$(printf '%s' "$line" | sed 's/.*"request_id":"\\([^"]*\\)".*/\\1/')
                  printf '{"type":"control_response","response":{"subtype":"success","request_id":"%s",\
            "response":{"rewound":true}}}\\n' "$id";;
              esac
            done
            """;

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();
    private final PromptEncoder prompts = new PromptEncoder(Json.mapper());
    private final CliLineParser parser = new CliLineParser(Json.mapper());
    private final ConcurrentLinkedQueue<CliSession> spawned = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spawns = new AtomicInteger();
    /** While true the pool starts no spare, as while every request slot is taken. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private SessionPool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        spawned.forEach(session -> session.process().kill());
    }

    private CliSession spawn(String model) {
        spawns.incrementAndGet();
        CliProcess process = CliProcess.start(List.of("/bin/sh", "-c", STAND_IN), Map.of("PATH", "/usr/bin:/bin"), dir);
        CliSession session = new CliSession(process, parser, model, clock.instant());
        spawned.add(session);
        return session;
    }

    private SessionPool pool(int size, int warm, Duration ttl, int maxTurns) {
        pool = new SessionPool(new PoolSettings(size, warm, ttl, Duration.ofHours(1), maxTurns, true), "sonnet",
                this::spawn, busy::get, clock, prompts);
        return pool;
    }

    /** A process that has just answered the first turn of a conversation. */
    private CliSession answered(String text) {
        CliSession session = spawn("sonnet");
        Turn turn = new Turn("sonnet", Optional.of("S"), List.of(Message.user(text)));
        String uuid = CliSession.newUuid();
        session.sendFirstTurn(turn, prompts.userLine(turn, uuid), uuid, prompts);
        return session;
    }

    @Test
    void keepsWarmSparesReadyUpToItsSetting() {
        pool(4, 2, Duration.ofMinutes(5), 100);

        Await.until(Duration.ofSeconds(10), "two spares are warm", () -> pool.stats().get("warm") == 2);
        assertThat(spawns.get()).isEqualTo(2);
    }

    @Test
    void aLiveConversationIsFoundByItsKeyOnceAndOnlyOnce() {
        pool(4, 0, Duration.ofMinutes(5), 100);
        CliSession session = answered("one");

        assertThat(pool.keepLive("key-1", session)).isTrue();

        assertThat(pool.takeLive("key-2")).isEmpty();
        assertThat(pool.takeLive("key-1")).containsSame(session);
        assertThat(pool.takeLive("key-1")).isEmpty();
    }

    @Test
    void pastItsBudgetTheLeastRecentlyUsedConversationLeavesAndIsRecycled() {
        busy.set(true);
        pool(3, 1, Duration.ofMinutes(5), 100);
        CliSession first = answered("one");
        CliSession second = answered("two");
        CliSession third = answered("three");
        pool.keepLive("k1", first);
        pool.keepLive("k2", second);

        pool.keepLive("k3", third);

        assertThat(pool.takeLive("k1")).as("the oldest left").isEmpty();
        assertThat(pool.stats()).containsEntry("evicted", 1L);
        Await.until(Duration.ofSeconds(10), "its process was rewound into a spare",
                () -> pool.stats().get("recycled") == 1);
        assertThat(first.process().isAlive()).isTrue();
        assertThat(pool.takeSpare("opus", Optional.of("Another prompt."), SessionPool.Spares.RECYCLED))
                .containsSame(first);
    }

    @Test
    void aConversationPastItsTtlExpiresAndItsProcessIsRecycled() {
        pool(2, 0, Duration.ofMinutes(5), 100);
        CliSession session = answered("one");
        pool.keepLive("k1", session);

        clock.advance(Duration.ofMinutes(6));

        Await.until(Duration.ofSeconds(10), "the conversation expired", () -> pool.stats().get("expired") == 1);
        assertThat(pool.takeLive("k1")).isEmpty();
        Await.until(Duration.ofSeconds(10), "its process became a spare", () -> pool.stats().get("recycled") == 1);
    }

    @Test
    void aProcessThatServedItsTurnsIsStoppedNotKept() {
        pool(2, 0, Duration.ofMinutes(5), 1);
        CliSession session = answered("one");

        assertThat(pool.keepLive("k1", session)).as("one turn is all it may serve").isFalse();
    }

    @Test
    void aDeadSpareIsNeverHandedOut() throws Exception {
        pool(2, 1, Duration.ofMinutes(5), 100);
        Await.until(Duration.ofSeconds(10), "a spare is warm", () -> pool.stats().get("warm") == 1);
        busy.set(true);
        CliSession spare = spawned.peek();
        ProcessHandle.of(spare.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
        Await.until(Duration.ofSeconds(5), "it is dead", () -> !spare.process().isAlive());

        Optional<CliSession> taken = pool.takeSpare("sonnet", Optional.empty(), SessionPool.Spares.ANY);

        assertThat(taken).isEmpty();
        assertThat(pool.stats().get("died_idle")).isEqualTo(1);
    }

    @Test
    void aRecycledSpareWithoutAPromptServesOnlyAConversationWithoutOneWhereThePromptWouldCarryOver() {
        pool(2, 0, Duration.ofMinutes(5), 100);
        CliSession session = answered("one");
        pool.keepLive("k1", session);
        clock.advance(Duration.ofMinutes(6));
        Await.until(Duration.ofSeconds(10), "recycled", () -> pool.stats().get("recycled") == 1);

        assertThat(pool.takeSpare("sonnet", Optional.empty(), SessionPool.Spares.RECYCLED))
                .as("its last conversation had the prompt S, which set_model cannot clear").isEmpty();
        assertThat(pool.takeSpare("claude-sonnet-4-5-20250929", Optional.of("T"), SessionPool.Spares.RECYCLED))
                .as("an exact model id it does not run would cost a probe request").isEmpty();
        assertThat(pool.takeSpare("haiku", Optional.of("T"), SessionPool.Spares.RECYCLED)).containsSame(session);
    }

    @Test
    void manyTakersRacingForOneSpareGetItOnce() throws Exception {
        pool(1, 1, Duration.ofMinutes(5), 100);
        Await.until(Duration.ofSeconds(10), "a spare is warm", () -> pool.stats().get("warm") == 1);
        busy.set(true);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService takers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<CliSession>>> results = IntStream.range(0, 16)
                    .mapToObj(i -> takers.submit(() -> {
                        go.await();
                        return pool.takeSpare("sonnet", Optional.empty(), SessionPool.Spares.ANY);
                    })).toList();
            go.countDown();

            long winners = 0;
            for (Future<Optional<CliSession>> result : results) {
                winners += result.get().isPresent() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
    }
}
