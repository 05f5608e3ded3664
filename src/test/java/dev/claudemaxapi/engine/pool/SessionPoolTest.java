package dev.claudemaxapi.engine.pool;

import dev.claudemaxapi.engine.cli.CliLineParser;
import dev.claudemaxapi.engine.cli.PromptEncoder;
import dev.claudemaxapi.engine.cli.CliEventStream;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.process.CliProcess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Tool;
import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Tools;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
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
 * The pool's decisions, with stand-in processes (a small shell loop that logs its stdin and answers a rewind as the
 * CLI does) and a clock the test moves: budget, least recently used first out, TTL, retirement, dead spares,
 * recycling, edit and regenerate, and many takers racing for one spare.
 */
class SessionPoolTest {
    /** Logs each line to $1; answers {@code rewind_conversation} with {@code rewound:true}, as the CLI 2.1.328 does. */
    private static final String STAND_IN = """
            while IFS= read -r line; do
              printf '%s\\n' "$line" >> "$1"
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
    /** Resident memory the pool reads, by pid; 200 MB by default. */
    private final Map<Long, Long> memory = new ConcurrentHashMap<>();
    private SessionPool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        spawned.forEach(session -> session.process().kill());
    }

    /** Holds every spawn until opened, as a slow process start would. */
    private volatile CountDownLatch spawnGate = new CountDownLatch(0);
    private final AtomicInteger spawnCalls = new AtomicInteger();

    private CliSession spawn(String model, CliSettings.Priority priority, SessionState initial) {
        spawnCalls.incrementAndGet();
        try {
            spawnGate.await();
        } catch (InterruptedException e) {
            // the housekeeper is interrupted by close(): start the process anyway, as a start under way would
        }
        int n = spawns.incrementAndGet();
        CliProcess process = CliProcess.start(
                List.of("/bin/sh", "-c", STAND_IN, "stand-in", dir.resolve("stdin-" + n).toString()),
                Map.of("PATH", "/usr/bin:/bin"), dir);
        CliSession session = new CliSession(process, parser, model, clock, initial);
        spawned.add(session);
        return session;
    }

    private SessionPool pool(PoolSettings settings) {
        pool = new SessionPool(settings, "sonnet", this::spawn, busy::get, clock, prompts,
                pid -> OptionalLong.of(memory.getOrDefault(pid, 200L << 20)));
        return pool;
    }

    private SessionPool pool(int size, int warm, Duration ttl, int maxTurns) {
        return pool(new PoolSettings(size, warm, ttl, Duration.ofHours(1), maxTurns,
                PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
    }

    private static Turn turn(String system, Message... messages) {
        return new Turn("sonnet", Optional.of(system), List.of(messages));
    }

    /** Takes a session for {@code turn} and writes the turn to it, as the engine does. */
    private Lease start(Turn turn) {
        Lease lease = pool.take(turn);
        String uuid = CliSession.newUuid();
        CliSession session = lease.session();
        if (session.holdsConversation()) {
            List<Message> messages = turn.messages();
            int lastAssistant = Message.lastAssistantIndex(messages);
            session.sendFollowUp(prompts.followUpLine(turn, messages.subList(lastAssistant + 1, messages.size()), uuid),
                    uuid);
        } else {
            session.sendFirstTurn(turn, prompts.userLine(turn, uuid), uuid, prompts, Optional.empty());
        }
        return lease;
    }

    /** A turn answered with {@code answer}: its session goes back to the pool. */
    private Lease answer(Turn turn, String answer) {
        Lease lease = start(turn);
        pool.release(lease.session(), CliEventStream.Outcome.COMPLETED, turn,
                List.of(new ContentBlock.Text(answer)));
        return lease;
    }

    /** What the stand-in read so far. */
    private List<String> stdin(CliSession session) {
        Path log = dir.resolve("stdin-" + (new ArrayList<>(spawned).indexOf(session) + 1));
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSpareThatFinishesStartingAfterThePoolClosedIsStoppedNotLeftRunning() throws Exception {
        spawnGate = new CountDownLatch(1);
        pool(2, 1, Duration.ofMinutes(10), 100);
        Await.until(Duration.ofSeconds(5), "the housekeeper is starting a spare", () -> spawnCalls.get() == 1);

        pool.close();
        spawnGate.countDown();

        Await.until(Duration.ofSeconds(5), "the spare was started", () -> !spawned.isEmpty());
        CliSession late = spawned.peek();
        Await.until(Duration.ofSeconds(5), "the late spare is stopped", () -> !late.process().isAlive());
    }

    @Test
    void aReminderInsideATurnIsNoTurnOfItsOwnForARewindButIsTheLastLineTheCliSaw() throws Exception {
        pool(2, 0, Duration.ofMinutes(10), 100);
        Lease lease = start(turn("S", Message.user("first")));
        CliSession session = lease.session();
        Await.until(Duration.ofSeconds(5), "the turn's line is written",
                () -> stdin(session).stream().anyMatch(line -> line.contains("\"type\":\"user\"")));
        String turnStart = new ArrayList<>(stdin(session)).stream().filter(line -> line.contains("\"type\":\"user\""))
                .findFirst().map(line -> line.replaceAll(".*\"uuid\":\"([^\"]+)\".*", "$1")).orElseThrow();
        session.sendWithinTurn("{\"type\":\"user\",\"uuid\":\"reminder-1\"}", "reminder-1");

        assertThat(session.rewindLastTurn(Duration.ofSeconds(5), prompts)).isTrue();

        String rewind = stdin(session).stream().filter(line -> line.contains("rewind_conversation")).findFirst()
                .orElseThrow();
        assertThat(rewind).contains("\"target_message_uuid\":\"" + turnStart + "\"")
                .contains("\"last_seen_user_message_uuid\":\"reminder-1\"");
        assertThat(session.holdsConversation()).isFalse();
    }

    @Test
    void keepsWarmSparesReadyUpToItsSetting() {
        pool(4, 2, Duration.ofMinutes(5), 100);

        Await.until(Duration.ofSeconds(10), "two spares are warm", () -> pool.stats().get("warm") == 2);
        assertThat(spawns.get()).isEqualTo(2);
    }

    @Test
    void aLiveConversationIsContinuedByTheRequestThatSendsItBackOnceAndOnlyOnce() {
        pool(4, 0, Duration.ofMinutes(5), 100);
        Lease first = answer(turn("S", Message.user("one")), "reply");
        Turn followUp = turn("S", Message.user("one"), Message.assistant("reply"), Message.user("two"));

        Lease continued = pool.take(followUp);
        Lease again = pool.take(followUp);

        assertThat(first.source()).isEqualTo(Lease.Source.COLD);
        assertThat(continued.source()).isEqualTo(Lease.Source.LIVE);
        assertThat(continued.session()).isSameAs(first.session());
        assertThat(again.source()).isEqualTo(Lease.Source.COLD);
        assertThat(pool.stats()).containsEntry("live_reused", 1L);
    }

    @Test
    void anotherKeyCannotContinueAConversation() {
        pool(4, 0, Duration.ofMinutes(5), 100);
        answer(turn("S", Message.user("one")), "reply");

        Lease other = pool.take(new Turn("sonnet", Optional.of("S"),
                List.of(Message.user("one"), Message.assistant("reply"), Message.user("two")),
                new dev.claudemaxapi.core.Caller("key-other")));

        assertThat(other.source()).isEqualTo(Lease.Source.COLD);
    }

    @Test
    void anEditedLastMessageRewindsTheLiveProcessToBeforeItAndContinuesThere() throws Exception {
        pool(4, 0, Duration.ofMinutes(5), 100);
        Lease first = answer(turn("S", Message.user("one")), "A1");
        answer(turn("S", Message.user("one"), Message.assistant("A1"), Message.user("two")), "A2");

        Lease edited = start(turn("S", Message.user("one"), Message.assistant("A1"), Message.user("two, edited")));

        assertThat(edited.source()).isEqualTo(Lease.Source.REWOUND);
        assertThat(edited.session()).isSameAs(first.session());
        assertThat(pool.stats()).containsEntry("rewound", 1L);
        Await.until(Duration.ofSeconds(5), "the edit was written", () -> stdin(first.session()).size() == 5);
        List<String> lines = stdin(first.session());
        String secondUuid = Json.mapper().readTree(lines.get(2)).path("uuid").asText();
        assertThat(lines.get(3)).as("rewound to the second user message, the last one seen")
                .contains("rewind_conversation")
                .contains("\"target_message_uuid\":\"" + secondUuid + "\"")
                .contains("\"last_seen_user_message_uuid\":\"" + secondUuid + "\"");
        assertThat(lines.get(4)).as("only the edited message follows").contains("two, edited")
                .doesNotContain("A1");
    }

    @Test
    void editingTheTurnThatBroughtTheWholeHistoryEmptiesTheProcessAndSendsTheHistoryAgain() {
        pool(4, 0, Duration.ofMinutes(5), 100);
        Lease first = answer(turn("S", Message.user("one"), Message.assistant("A1"), Message.user("two")), "A2");

        Lease edited = start(turn("S", Message.user("one"), Message.assistant("A1"), Message.user("two, edited")));

        assertThat(edited.source()).isEqualTo(Lease.Source.REWOUND);
        assertThat(edited.session()).isSameAs(first.session());
        Await.until(Duration.ofSeconds(5), "the edit was written", () -> stdin(first.session()).size() == 5);
        assertThat(stdin(first.session()).get(3)).as("the model set again for the conversation started again")
                .contains("set_model");
        assertThat(stdin(first.session()).get(4)).as("the whole history again, with the edited message")
                .contains("A1").contains("two, edited");
    }

    /** Room for two live conversations; both answered a second apart while no spare could start. */
    private List<Lease> twoConversationsInAPoolOfThreeWithOneSpare() {
        busy.set(true);
        pool(3, 1, Duration.ofMinutes(5), 100);
        Lease first = answer(turn("S", Message.user("one")), "r");
        clock.advance(Duration.ofSeconds(1));
        return List.of(first, answer(turn("S", Message.user("two")), "r"));
    }

    @Test
    void pastItsBudgetTheLeastRecentlyUsedConversationLeavesAndIsRecycled() {
        Lease first = twoConversationsInAPoolOfThreeWithOneSpare().get(0);
        clock.advance(Duration.ofSeconds(1));

        // on an exact model id no live process can take it, so it gets a process of its own
        Lease third = answer(new Turn("claude-sonnet-4-5-20250929", Optional.of("S"), List.of(Message.user("three"))),
                "r");

        assertThat(third.source()).isEqualTo(Lease.Source.COLD);
        assertThat(pool.stats()).containsEntry("evicted", 1L);
        Await.until(Duration.ofSeconds(10), "its process was rewound into a spare",
                () -> pool.stats().get("recycled") == 1);
        assertThat(first.session().state()).as("the oldest left its conversation").isEqualTo(SessionState.SPARE);
        Lease recycled = pool.take(new Turn("opus", Optional.of("Another prompt."), List.of(Message.user("hi"))));
        assertThat(recycled.source()).isEqualTo(Lease.Source.RECYCLED);
        assertThat(recycled.session()).isSameAs(first.session());
    }

    @Test
    void aNewConversationTakesTheProcessOfTheConversationTheBudgetWouldEvictAnywayBeforeANeverUsedSpare() {
        List<Lease> conversations = twoConversationsInAPoolOfThreeWithOneSpare();
        Lease first = conversations.get(0);
        Lease second = conversations.get(1);
        assertThat(second.source()).as("room for two conversations: the first stays").isEqualTo(Lease.Source.COLD);
        busy.set(false);
        Await.until(Duration.ofSeconds(10), "a spare is warm", () -> pool.stats().get("warm") == 1);
        busy.set(true);

        Lease third = pool.take(turn("T", Message.user("three")));

        assertThat(third.source()).as("a third would evict the first once kept").isEqualTo(Lease.Source.RECYCLED);
        assertThat(third.session()).isSameAs(first.session());
        assertThat(pool.stats()).containsEntry("warm", 1L).containsEntry("live_conversations", 1L);
    }

    @Test
    void aConversationPastItsTtlExpiresAndItsProcessIsRecycled() {
        pool(2, 0, Duration.ofMinutes(5), 100);
        answer(turn("S", Message.user("one")), "r");

        clock.advance(Duration.ofMinutes(6));

        Await.until(Duration.ofSeconds(10), "the conversation expired", () -> pool.stats().get("expired") == 1);
        Await.until(Duration.ofSeconds(10), "its process became a spare", () -> pool.stats().get("recycled") == 1);
        assertThat(pool.stats()).containsEntry("live_conversations", 0L).containsEntry("warm", 1L);
    }

    @Test
    void aProcessThatServedItsTurnsIsEndedNotKept() {
        pool(2, 0, Duration.ofMinutes(5), 1);

        Lease lease = answer(turn("S", Message.user("one")), "r");

        assertThat(lease.session().state()).isEqualTo(SessionState.DEAD);
        assertThat(pool.stats()).containsEntry("retired", 1L).containsEntry("live_conversations", 0L);
        Await.until(Duration.ofSeconds(10), "it exits once its input is closed",
                () -> !lease.session().process().isAlive());
    }

    @Test
    void aProcessWhoseMemoryGrewPastTheBoundIsRetired() {
        pool(new PoolSettings(4, 0, Duration.ofMinutes(5), Duration.ofHours(1), 100, 100L << 20,
                PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT));
        Lease lease = answer(turn("S", Message.user("one")), "r");
        long pid = lease.session().process().pid();
        Lease second = start(turn("S", Message.user("one"), Message.assistant("r"), Message.user("two")));
        assertThat(second.session()).isSameAs(lease.session());

        memory.put(pid, 350L << 20);
        pool.release(second.session(), CliEventStream.Outcome.COMPLETED,
                turn("S", Message.user("one"), Message.assistant("r"), Message.user("two")),
                List.of(new ContentBlock.Text("r2")));

        assertThat(second.session().state()).isEqualTo(SessionState.DEAD);
        assertThat(pool.stats()).containsEntry("retired", 1L);
    }

    @Test
    void aFailedTurnsProcessIsKilled() {
        pool(2, 0, Duration.ofMinutes(5), 100);
        Lease lease = start(turn("S", Message.user("one")));

        pool.release(lease.session(), CliEventStream.Outcome.FAILED, turn("S", Message.user("one")), List.of());

        assertThat(lease.session().state()).isEqualTo(SessionState.DEAD);
        Await.until(Duration.ofSeconds(5), "killed", () -> !lease.session().process().isAlive());
    }

    @Test
    void aTurnWhoseClientLeftIsInterruptedRewoundAndKeptAsASpare() throws Exception {
        pool(2, 0, Duration.ofMinutes(5), 100);
        Lease lease = start(turn("S", Message.user("one")));

        pool.release(lease.session(), CliEventStream.Outcome.CANCELLED, turn("S", Message.user("one")), List.of());

        assertThat(pool.stats()).containsEntry("interrupted", 1L);
        // the stand-in prints no result line for the interrupted turn, so the rewind times out unless one comes
        Await.until(Duration.ofSeconds(5), "the rewind was sent", () -> stdin(lease.session()).size() == 3);
        assertThat(stdin(lease.session()).get(2)).contains("\"interrupt_if_running\":true");
    }

    @Test
    void withoutAPoolEveryTurnGetsAFreshProcessThatEndsAfterIt() {
        pool(PoolSettings.off());
        Lease first = answer(turn("S", Message.user("one")), "r");

        Lease second = pool.take(turn("S", Message.user("one"), Message.assistant("r"), Message.user("two")));

        assertThat(first.source()).isEqualTo(Lease.Source.COLD);
        assertThat(second.source()).isEqualTo(Lease.Source.COLD);
        assertThat(second.session()).isNotSameAs(first.session());
        Await.until(Duration.ofSeconds(10), "the first exits once its input is closed",
                () -> !first.session().process().isAlive());
        assertThat(pool.stats()).containsEntry("pool_size", 0L).doesNotContainKey("warm");
    }

    @Test
    void aDeadSpareIsNeverHandedOut() {
        pool(2, 1, Duration.ofMinutes(5), 100);
        Await.until(Duration.ofSeconds(10), "a spare is warm", () -> pool.stats().get("warm") == 1);
        busy.set(true);
        CliSession spare = spawned.peek();
        ProcessHandle.of(spare.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
        Await.until(Duration.ofSeconds(5), "it is dead", () -> !spare.process().isAlive());

        Lease lease = pool.take(turn("S", Message.user("one")));

        assertThat(lease.source()).isEqualTo(Lease.Source.COLD);
        assertThat(lease.session()).isNotSameAs(spare);
        assertThat(pool.stats().get("died_idle")).isEqualTo(1);
    }

    @Test
    void aRecycledSpareWithoutAPromptServesOnlyAConversationWithoutOneWhereThePromptWouldCarryOver() {
        pool(3, 0, Duration.ofMinutes(5), 100);
        busy.set(true);
        Lease lease = answer(turn("S", Message.user("one")), "r");
        clock.advance(Duration.ofMinutes(6));
        Await.until(Duration.ofSeconds(10), "recycled", () -> pool.stats().get("recycled") == 1);

        assertThat(pool.take(new Turn("sonnet", Optional.empty(), List.of(Message.user("a")))).source())
                .as("its last conversation had the prompt S, which set_model cannot clear")
                .isEqualTo(Lease.Source.COLD);
        assertThat(pool.take(new Turn("claude-sonnet-4-5-20250929", Optional.of("T"), List.of(Message.user("b"))))
                .source()).as("an exact model id it does not run would cost a probe request")
                .isEqualTo(Lease.Source.COLD);
        Lease haiku = pool.take(new Turn("haiku", Optional.of("T"), List.of(Message.user("c"))));
        assertThat(haiku.source()).isEqualTo(Lease.Source.RECYCLED);
        assertThat(haiku.session()).isSameAs(lease.session());
    }

    @Test
    void manyTakersRacingForOneSpareGetItOnce() throws Exception {
        pool(1, 1, Duration.ofMinutes(5), 100);
        Await.until(Duration.ofSeconds(10), "a spare is warm", () -> pool.stats().get("warm") == 1);
        busy.set(true);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService takers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Lease>> results = IntStream.range(0, 16)
                    .mapToObj(i -> takers.submit(() -> {
                        go.await();
                        return pool.take(turn("S", Message.user("n" + i)));
                    })).toList();
            go.countDown();

            long warm = 0;
            for (Future<Lease> result : results) {
                warm += result.get().source() == Lease.Source.WARM ? 1 : 0;
            }
            assertThat(warm).isEqualTo(1);
            assertThat(pool.stats()).containsEntry("processes", 16L).containsEntry("warm", 0L);
        }
    }

    private static final Tools WEATHER = new Tools(
            List.of(new Tool("get_weather", Optional.empty(), "{\"type\":\"object\"}")), ToolChoice.AUTO,
            Tools.Parallel.ALLOWED);

    /** A conversation whose answer called the weather tool; its process now waits for the result. */
    private Lease calledTheTool() {
        Turn turn = turn("S", Message.user("Weather?")).withTools(WEATHER);
        Lease lease = start(turn);
        pool.release(lease.session(), CliEventStream.Outcome.CALLED_TOOLS, turn,
                List.of(new ContentBlock.ToolUse("toolu_1", "get_weather", "{\"city\": \"Paris\"}")));
        return lease;
    }

    private static Turn withResult(ContentBlock answer) {
        return turn("S", Message.user("Weather?"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.ToolUse("toolu_1", "get_weather",
                        "{\"city\":\"Paris\"}"))),
                new Message(Role.USER, List.of(answer))).withTools(WEATHER);
    }

    @Test
    void aProcessWhoseAnswerCalledToolsWaitsAndTakesTheRequestThatBringsTheirResults() {
        pool(4, 0, Duration.ofMinutes(5), 100);
        Lease called = calledTheTool();
        assertThat(called.session().state()).isEqualTo(SessionState.AWAITING_TOOLS);
        assertThat(pool.stats()).containsEntry("awaiting_tools", 1L);

        Lease round = pool.take(withResult(new ContentBlock.ToolResult("toolu_1",
                List.of(new ContentBlock.Text("22 C")), false)));

        assertThat(round.source()).isEqualTo(Lease.Source.TOOL_ROUND);
        assertThat(round.session()).isSameAs(called.session());
        assertThat(pool.stats()).containsEntry("tool_rounds", 1L).containsEntry("awaiting_tools", 0L);
    }

    @Test
    void aRequestThatGoesOnWithoutTheResultsInterruptsTheWaitingCallsAndRecyclesTheProcess() {
        pool(4, 0, Duration.ofMinutes(5), 100);
        Lease called = calledTheTool();

        Lease other = pool.take(withResult(new ContentBlock.Text("Never mind.")));

        assertThat(other.source()).isNotEqualTo(Lease.Source.TOOL_ROUND);
        assertThat(other.session()).isNotSameAs(called.session());
        Await.until(Duration.ofSeconds(5), "the waiting calls are interrupted by the rewind",
                () -> stdin(called.session()).stream().anyMatch(line -> line.contains("\"interrupt_if_running\":true")));
    }

    @Test
    void aProcessWaitsForToolResultsNoLongerThanTheToolWait() throws InterruptedException {
        pool(new PoolSettings(4, 0, Duration.ofMinutes(5), Duration.ofHours(1), 100,
                PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, Duration.ofMinutes(15)));
        Lease called = calledTheTool();

        clock.advance(Duration.ofMinutes(10));
        Thread.sleep(1_500); // a housekeeping pass at least
        assertThat(called.session().state()).as("agents run tools for minutes").isEqualTo(SessionState.AWAITING_TOOLS);
        clock.advance(Duration.ofMinutes(6));

        Await.until(Duration.ofSeconds(10), "the wait expired", () -> pool.stats().get("expired") == 1);
        assertThat(called.session().state()).isNotEqualTo(SessionState.AWAITING_TOOLS);
        assertThat(pool.stats()).containsEntry("awaiting_tools", 0L);
    }

    @Test
    void aSessionMovesOnlyAlongTheAllowedTransitionsAndOnlyFromTheStateItIsIn() {
        CliSession session = spawn("sonnet", CliSettings.Priority.FOREGROUND, SessionState.SPARE);

        assertThat(session.move(SessionState.LIVE, SessionState.IN_TURN)).as("it is not live").isFalse();
        assertThat(session.move(SessionState.SPARE, SessionState.IN_TURN)).isTrue();
        assertThat(session.move(SessionState.SPARE, SessionState.IN_TURN)).as("taken already").isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> session.move(SessionState.DEAD, SessionState.SPARE)).isInstanceOf(IllegalStateException.class);
    }
}
