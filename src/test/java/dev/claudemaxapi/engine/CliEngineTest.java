package dev.claudemaxapi.engine;

import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.engine.process.CliOutput;
import dev.claudemaxapi.engine.process.CliProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's failure paths, with stand-in {@code claude} executables that misbehave on purpose. */
class CliEngineTest {
    @TempDir
    Path dir;

    private CliEngine engine(String script, Duration stallTimeout) throws IOException {
        Path fake = dir.resolve("claude");
        Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        CliSettings settings = new CliSettings(fake.toString(), dir, Map.of("PATH", "/usr/bin:/bin"), stallTimeout,
                "", false);
        return new CliEngine(settings, "test", Json.mapper(), PoolSettings.off(), () -> false, Clock.systemUTC(),
                new PlanLimits(Clock.systemUTC()));
    }

    private static Turn turn() {
        return new Turn("sonnet", Optional.empty(), List.of(Message.user("hi")));
    }

    @Test
    void aCliThatDiesWithoutAnswerIsA502WithoutItsStderr() throws Exception {
        try (CliEngine engine = engine("cat > /dev/null & echo 'token=SECRET-STDERR' >&2; exit 3",
                Duration.ofSeconds(30))) {
            // It may die before its input is written or after: either way the same honest error.
            assertThatThrownBy(() -> {
                try (EventStream stream = engine.start(turn())) {
                    stream.next(Duration.ofSeconds(10));
                }
            }).isInstanceOfSatisfying(ProxyException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_FAILED);
                assertThat(e.getMessage()).contains("The Claude CLI").contains("exit code 3").doesNotContain("SECRET");
            });
        }
    }

    @Test
    void aSilentCliIsStoppedAfterTheStallTimeout() throws Exception {
        try (CliEngine engine = engine("exec sleep 60", Duration.ofMillis(500))) {
            EventStream stream = engine.start(turn());

            assertThatThrownBy(() -> {
                while (true) {
                    stream.next(Duration.ofSeconds(5));
                }
            }).isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
            stream.close();
            Await.until(Duration.ofSeconds(5), "the stalled process is gone",
                    () -> engine.info().stats().get("processes") == 0);
        }
    }

    @Test
    void aMissingExecutableIsA503() throws Exception {
        CliSettings settings = new CliSettings(dir.resolve("nope").toString(), dir, Map.of(), Duration.ofSeconds(1),
                "", false);
        try (CliEngine engine = new CliEngine(settings, "test", Json.mapper(), PoolSettings.off(), () -> false,
                Clock.systemUTC(), new PlanLimits(Clock.systemUTC()))) {
            assertThatThrownBy(() -> engine.start(turn()))
                    .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        }
    }

    @Test
    void aCancelledTurnKillsTheProcess() throws Exception {
        try (CliEngine engine = engine("exec sleep 60", Duration.ofSeconds(30))) {
            EventStream stream = engine.start(turn());
            assertThat(stream.next(Duration.ofMillis(100))).isNull();

            stream.close();

            Await.until(Duration.ofSeconds(5), "the cancelled turn's process is gone",
                    () -> engine.info().stats().get("processes") == 0);
        }
    }

    @Test
    void aConversationTooDeepToEncodeIsA400BeforeAnyProcessIsTaken() throws Exception {
        String deep = "[".repeat(999) + "]".repeat(999);
        Turn turn = new Turn("sonnet", Optional.empty(), List.of(Message.user("hi"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.ToolUse("call_1", "f", deep))),
                Message.user("go on")));
        try (CliEngine engine = engine("exec sleep 60", Duration.ofSeconds(30))) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> engine.start(turn)).isInstanceOfSatisfying(ProxyException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
            }

            assertThat(engine.info().stats()).containsEntry("spawned", 0L).containsEntry("processes", 0L);
        }
    }

    @Test
    void aCliWhoseOutputIsNotReadIsHeldBackByABoundedQueue() throws Exception {
        CliProcess process = CliProcess.start(List.of("/bin/sh", "-c", "exec yes '{\"type\":\"noise\"}'"),
                Map.of("PATH", "/usr/bin:/bin"), dir);
        try {
            Await.until(Duration.ofSeconds(10), "the queue is full", () -> process.pending() == CliProcess.QUEUE_LINES);
            assertThat(process.isAlive()).as("blocked on its stdout, not finished").isTrue();
            assertThat(process.pending()).isEqualTo(CliProcess.QUEUE_LINES);
        } finally {
            process.kill();
        }
        Await.until(Duration.ofSeconds(5), "the killed process is gone", () -> !process.isAlive());
        assertThat(process.next(Duration.ofMillis(10))).contains(CliOutput.END);
    }
}
