package dev.claudemaxapi.faults;

import static dev.claudemaxapi.faults.Faults.CHAT;
import static dev.claudemaxapi.faults.Faults.CHAT_STREAMED;
import static dev.claudemaxapi.faults.Faults.MESSAGES_STREAMED;
import static dev.claudemaxapi.faults.Faults.anthropicError;
import static dev.claudemaxapi.faults.Faults.openAiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.RealCli;
import dev.claudemaxapi.testing.ServerUnderTest;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fault matrix on one running server (its own JVM, the real pinned CLI, a fresh CLI per request so every process
 * is accounted for): each case checks the status and the body in the API's own shape, the request's log line, and
 * then, after every case, that nothing leaked: no {@code claude} process left, the server's threads and open file
 * descriptors back to their baseline, and the next request still answered.
 *
 * <p>Faults that end or reconfigure the server (signals, a missing CLI, a descriptor limit, a small heap, a pool)
 * are in {@link ServerFaultsTest}.
 */
class FaultMatrixTest {
    @TempDir
    static Path scratch;
    static FakeUpstream upstream;
    static ServerUnderTest server;
    static Path claudeLink;
    static Path realCli;
    static int baselineThreads;
    static int baselineDescriptors;
    static String baselineDescriptorList;

    @BeforeAll
    static void startServer() throws Exception {
        realCli = RealCli.require();
        upstream = new FakeUpstream();
        claudeLink = scratch.resolve("bin/claude");
        Files.createDirectories(claudeLink.getParent());
        pointCliAt(realCli);
        server = new ServerUnderTest.Launch(scratch, Faults.environment(upstream, scratch))
                // idle keep-alive connections are closed after 2 s, so descriptor counts settle quickly
                .jvm("-Dsun.net.httpserver.idleInterval=2")
                .args("--claude-bin", claudeLink.toString(), "--pool-size", "0", "--max-concurrent", "2",
                        "--max-queue", "1", "--stall-timeout", "4", "--heartbeat", "0.2", "--max-body-mb", "1",
                        "--write-timeout", "2")
                .start();
        assertThat(Faults.post(server, "/v1/chat/completions", CHAT).status()).isEqualTo(200);
        assertThat(slowBodyPost().status()).isEqualTo(200);
        Await.until(Duration.ofSeconds(20), "the warm-up request's CLI is gone", () -> server.claudeProcesses() == 0);
        Thread.sleep(3000);
        baselineThreads = server.threadsOutsideJdkPools();
        baselineDescriptors = server.openDescriptors();
        baselineDescriptorList = server.describeDescriptors();
    }

    /**
     * A request whose body comes in two parts, so the server's virtual thread waits on a socket: the JDK opens its
     * socket pollers (five epoll descriptors, kept for the life of the JVM) the first time one does, and that belongs
     * before the baseline, not in the middle of whichever test first makes it happen.
     */
    private static RawHttp.Response slowBodyPost() throws Exception {
        byte[] body = CHAT.getBytes(StandardCharsets.UTF_8);
        try (RawHttp client = RawHttp.connect(server.address(), Duration.ofSeconds(60))) {
            client.sendRaw(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            client.sendRaw(Arrays.copyOf(body, body.length / 2));
            Thread.sleep(500);
            client.sendRaw(Arrays.copyOfRange(body, body.length / 2, body.length));
            return client.readResponse();
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The leak checks, and the next request still answered. */
    @AfterEach
    void nothingLeakedAndTheServerStillServes() throws Exception {
        upstream.always(UpstreamReply.text("Hello from the fake upstream"));
        Await.until(Duration.ofSeconds(15), "no claude process is left", () -> server.claudeProcesses() == 0);
        try {
            Await.until(Duration.ofSeconds(40), "file descriptors back to " + baselineDescriptors,
                    () -> descriptors() <= baselineDescriptors + 2);
        } catch (AssertionError leak) {
            throw new AssertionError(leak.getMessage() + "; open now:\n" + server.describeDescriptors()
                    + "at the baseline:\n" + baselineDescriptorList, leak);
        }
        Await.until(Duration.ofSeconds(40), "threads back to " + baselineThreads,
                () -> threads() <= baselineThreads + 6);
        RawHttp.Response next = Faults.post(server, "/v1/chat/completions", CHAT);
        assertThat(next.status()).as("the next request").isEqualTo(200);
        Await.until(Duration.ofSeconds(15), "its CLI is gone", () -> server.claudeProcesses() == 0);
    }

    @ParameterizedTest(name = "upstream {0} -> {1}")
    @CsvSource({"400, 400, invalid_request_error", "401, 401, authentication_error", "403, 403, permission_error",
            "429, 429, rate_limit_error", "500, 502, api_error", "529, 529, overloaded_error"})
    void anUpstreamErrorIsAnsweredWithItsHonestStatusInBothShapes(int upstreamStatus, int status, String type)
            throws Exception {
        upstream.always(new UpstreamReply.Error(upstreamStatus, type, "injected " + upstreamStatus, null));

        RawHttp.Response openAi = Faults.post(server, "/v1/chat/completions", CHAT);
        RawHttp.Response anthropic = Faults.post(server, "/v1/messages", MESSAGES_STREAMED);

        assertThat(openAi.status()).isEqualTo(status);
        openAiError(openAi.body());
        assertThat(anthropic.status()).as("a streamed request that fails at once keeps its status").isEqualTo(status);
        anthropicError(anthropic.body());
        server.awaitLogLine("POST /v1/messages status=" + status + " .*stream=true", Duration.ofSeconds(5));
    }

    @Test
    void anUpstreamStreamCutMidwayIsRetriedByTheCliAndAnswered() throws Exception {
        upstream.enqueue(new UpstreamReply.Truncated("Hello"));

        RawHttp.Response response = Faults.post(server, "/v1/chat/completions", CHAT);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("Hello from the fake upstream");
    }

    @Test
    void aCliKilledBySignalMidStreamEndsTheStreamWithAnInBandError() throws Exception {
        upstream.always(Faults.slowText());
        try (RawHttp client = Faults.open(server, "/v1/chat/completions", CHAT_STREAMED)) {
            assertThat(client.readHead().status()).isEqualTo(200);
            client.readChunksUntil("\"content\":\"");
            server.children().forEach(ProcessHandle::destroyForcibly);

            String rest = client.readChunksUntil("[DONE]");

            assertThat(rest).contains("\"error\"").contains("The Claude CLI ended without an answer");
        }
        server.awaitLogLine("POST /v1/chat/completions status=200 .*error=\"The Claude CLI ended",
                Duration.ofSeconds(5));
    }

    @Test
    void aStalledCliIsStoppedWith504OrAnInBandError() throws Exception {
        upstream.always(new UpstreamReply.Hang());

        RawHttp.Response plain = Faults.post(server, "/v1/chat/completions", CHAT);
        String streamed;
        try (RawHttp client = Faults.open(server, "/v1/messages", MESSAGES_STREAMED)) {
            assertThat(client.readHead().status()).isEqualTo(200);
            streamed = client.readChunksUntil("printed nothing");
        }

        assertThat(plain.status()).isEqualTo(504);
        assertThat(openAiError(plain.body()).path("message").asText()).contains("printed nothing for 4 s");
        assertThat(streamed).contains("event: message_start").contains("printed nothing");
        server.awaitLogLine("POST /v1/chat/completions status=504 ", Duration.ofSeconds(5));
    }

    @Test
    void malformedCliOutputIsA502() throws Exception {
        Path standIn = scratch.resolve("garbage-cli");
        Files.writeString(standIn, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo "2.1.328 (Claude Code)"; exit 0; fi
                cat > /dev/null &
                echo 'this is not json'
                echo '{"type":"stream_event","event":{"type":"mystery"'
                echo '{"type":42}'
                exit 0
                """);
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
        swapCli(standIn);
        try {
            RawHttp.Response response = Faults.post(server, "/v1/chat/completions", CHAT);

            assertThat(response.status()).isEqualTo(502);
            assertThat(openAiError(response.body()).path("message").asText()).contains("ended without an answer");
        } finally {
            swapCli(realCli);
        }
    }

    @Test
    void aCliRemovedMidRunIsA503UntilItIsBack() throws Exception {
        Files.delete(claudeLink);
        try {
            RawHttp.Response openAi = Faults.post(server, "/v1/chat/completions", CHAT);
            RawHttp.Response anthropic = Faults.post(server, "/v1/messages", MESSAGES_STREAMED);

            assertThat(openAi.status()).isEqualTo(503);
            assertThat(openAiError(openAi.body()).path("message").asText()).contains("could not be started");
            assertThat(anthropic.status()).isEqualTo(503);
            anthropicError(anthropic.body());
            server.awaitLogLine("POST /v1/chat/completions status=503 ", Duration.ofSeconds(5));
        } finally {
            pointCliAt(realCli);
        }
    }

    @Test
    void aClientThatLeavesBeforeTheFirstTokenStopsItsCli() throws Exception {
        upstream.always(new UpstreamReply.Hang());
        for (String body : List.of(CHAT, CHAT_STREAMED)) {
            try (RawHttp client = Faults.open(server, "/v1/chat/completions", body)) {
                Await.until(Duration.ofSeconds(15), "its CLI runs", () -> server.claudeProcesses() == 1);
            }
            Await.until(Duration.ofSeconds(5), "its CLI is stopped", () -> server.claudeProcesses() == 0);
        }
        server.awaitLogLine("POST /v1/chat/completions status=499 .*error=\"client disconnected\"",
                Duration.ofSeconds(5));
    }

    @Test
    void aClientThatLeavesDuringTheAnswerStopsItsCli() throws Exception {
        upstream.always(Faults.slowText());
        try (RawHttp client = Faults.open(server, "/v1/chat/completions", CHAT_STREAMED)) {
            client.readHead();
            client.readChunksUntil("\"content\":\"");
        }
        Await.until(Duration.ofSeconds(5), "the streamed answer's CLI is stopped", () -> server.claudeProcesses() == 0);

        try (RawHttp client = Faults.open(server, "/v1/chat/completions", CHAT)) {
            Await.until(Duration.ofSeconds(15), "its CLI runs", () -> server.claudeProcesses() == 1);
            Thread.sleep(1500);
        }
        Await.until(Duration.ofSeconds(5), "the plain answer's CLI is stopped", () -> server.claudeProcesses() == 0);
        server.awaitLogLine("status=200 .*stream=true .*error=\"client disconnected\"", Duration.ofSeconds(5));
    }

    @Test
    void aClientThatLeavesAfterItsAnswerLeavesNothingBehind() throws Exception {
        try (RawHttp client = Faults.open(server, "/v1/chat/completions", CHAT_STREAMED)) {
            client.readHead();
            assertThat(client.readChunksUntil("[DONE]")).contains("\"finish_reason\":\"stop\"");
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndItsCliStopped() throws Exception {
        upstream.always(new UpstreamReply.Text("x".repeat(16 * 1024 * 1024), 4096, 10, 4096, Duration.ZERO));
        try (RawHttp stuck = Faults.open(server, "/v1/chat/completions", CHAT_STREAMED)) {
            server.awaitLogLine("POST /v1/chat/completions status=200 .*error=\"client disconnected\"",
                    Duration.ofSeconds(60));
        }
    }

    @Test
    void aFullQueueIsA429WithRetryAfter() throws Exception {
        upstream.always(new UpstreamReply.Hang());
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(Faults.open(server, "/v1/chat/completions", CHAT_STREAMED));
            }
            Await.until(Duration.ofSeconds(15), "both slots are busy", () -> server.claudeProcesses() == 2);
            held.add(Faults.open(server, "/v1/chat/completions", CHAT));
            Thread.sleep(300);

            RawHttp.Response refused = Faults.post(server, "/v1/messages", MESSAGES_STREAMED);

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("retry-after")).isNotNull();
            assertThat(anthropicError(refused.body()).path("type").asText()).isEqualTo("rate_limit_error");
        } finally {
            for (RawHttp client : held) {
                client.close();
            }
        }
    }

    @Test
    void aBodyTooLargeIsA413InTheApisShape() throws Exception {
        String big = CHAT.replace("Say hello", "x".repeat(2 * 1024 * 1024));

        RawHttp.Response response = Faults.post(server, "/v1/chat/completions", big);

        assertThat(response.status()).isEqualTo(413);
        openAiError(response.body());
        server.awaitLogLine("POST /v1/chat/completions status=413 ", Duration.ofSeconds(5));
    }

    @Test
    void manyIdleKeepAliveConnectionsAreClosedAndDoNotStopTheServer() throws Exception {
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) {
                RawHttp connection = RawHttp.connect(server.address(), Duration.ofSeconds(10));
                connection.send(List.of("GET /health HTTP/1.1", "Host: 127.0.0.1"), "");
                assertThat(connection.readResponse().status()).isEqualTo(200);
                idle.add(connection);
            }
            assertThat(Faults.post(server, "/v1/chat/completions", CHAT).status()).isEqualTo(200);
            Await.until(Duration.ofSeconds(20), "the idle connections are closed by the server",
                    () -> descriptors() <= baselineDescriptors + 2);
        } finally {
            for (RawHttp connection : idle) {
                connection.close();
            }
        }
    }

    private static void swapCli(Path target) throws IOException {
        Files.delete(claudeLink);
        pointCliAt(target);
    }

    /** The server's CLI is a small script that runs {@code target}, so a test can remove or replace it. */
    private static void pointCliAt(Path target) throws IOException {
        Files.writeString(claudeLink, "#!/bin/sh\nexec '" + target + "' \"$@\"\n");
        Files.setPosixFilePermissions(claudeLink, PosixFilePermissions.fromString("rwx------"));
    }

    private static int descriptors() {
        try {
            return server.openDescriptors();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int threads() {
        try {
            return server.threadsOutsideJdkPools();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
