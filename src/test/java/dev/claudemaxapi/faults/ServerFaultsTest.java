package dev.claudemaxapi.faults;

import static dev.claudemaxapi.faults.Faults.CHAT;
import static dev.claudemaxapi.faults.Faults.CHAT_STREAMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.testing.Await;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.RealCli;
import dev.claudemaxapi.testing.ServerUnderTest;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults that end the server or need it configured apart: signals mid-stream, a CLI missing at start, slow clients
 * under a file-descriptor limit, large bodies on a small heap, a CLI process killed while its conversation is held.
 * Each case starts its own server and checks what the operator and the clients see, and that no process is left.
 */
class ServerFaultsTest {
    @TempDir
    Path scratch;
    FakeUpstream upstream;
    ServerUnderTest server;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new FakeUpstream();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    private ServerUnderTest.Launch launch(String... args) throws IOException {
        ServerUnderTest.Launch launch = new ServerUnderTest.Launch(scratch, Faults.environment(upstream, scratch))
                .args("--claude-bin", RealCli.require().toString());
        return launch.args(args);
    }

    @Test
    void aMissingCliStopsTheStartWithAMessageSayingHowToFixIt() throws Exception {
        ServerUnderTest.Launch launch = new ServerUnderTest.Launch(scratch, Faults.environment(upstream, scratch))
                .args("--claude-bin", scratch.resolve("no-such-claude").toString());

        assertThatThrownBy(launch::start).hasMessageContaining("exited with 1")
                .hasMessageContaining("was not found").hasMessageContaining("--claude-bin");
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalMidStreamEndsTheStreamInBandLogsItAndLeavesNoCli(String signal) throws Exception {
        upstream.always(Faults.slowText());
        server = launch("--pool-size", "0", "--shutdown-grace", "2", "--heartbeat", "0.2").start();
        List<ProcessHandle> clis;
        String rest;
        try (RawHttp client = Faults.open(server, "/v1/chat/completions", CHAT_STREAMED)) {
            assertThat(client.readHead().status()).isEqualTo(200);
            client.readChunksUntil("\"content\":\"");
            clis = server.children();
            assertThat(clis).isNotEmpty();

            server.signal(signal);
            rest = client.readChunksUntil("[DONE]");
        }

        assertThat(rest).contains("\"error\"").contains("shutting down");
        server.awaitExit(Duration.ofSeconds(30));
        assertThat(server.log()).as("the request's log line, written during the grace period")
                .containsPattern("POST /v1/chat/completions status=200 .*error=\"The server is shutting down")
                .contains("claude-max-api stopped");
        Await.until(Duration.ofSeconds(5), "its CLI is gone", () -> clis.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void slowClientsUnderADescriptorLimitDoNotStarveAClientWithAKey() throws Exception {
        server = launch("--pool-size", "0", "--api-key", "sk-fault", "--request-timeout", "2")
                .descriptorLimit(400).start();
        List<Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < 420; i++) {
                try {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    socket.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    attackers.add(socket);
                } catch (IOException refused) {
                    // past the connection cap: refused at once, which is the point
                }
            }
            Socket slowBody = new Socket(InetAddress.getLoopbackAddress(), server.port());
            slowBody.setSoTimeout(15_000);
            slowBody.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer sk-fault\r\nContent-Length: 100\r\n\r\n{\"model\"")
                    .getBytes(StandardCharsets.US_ASCII));

            RawHttp.Response keyed = keyedRequestWithin(Duration.ofSeconds(30));

            assertThat(keyed.status()).isEqualTo(200);
            assertThat(readsToTheEnd(slowBody.getInputStream())).as("the slow body's connection is closed").isTrue();
            assertThat(server.isAlive()).isTrue();
        } finally {
            for (Socket socket : attackers) {
                socket.close();
            }
        }
    }

    private RawHttp.Response keyedRequestWithin(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (RawHttp client = RawHttp.connect(server.address(), Duration.ofSeconds(20))) {
                client.send(List.of("POST /v1/chat/completions HTTP/1.1", "Host: 127.0.0.1",
                        "Authorization: Bearer sk-fault", "Content-Type: application/json", "Connection: close",
                        "Content-Length: " + CHAT.length()), CHAT);
                return client.readResponse();
            } catch (IOException refused) {
                last = refused;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("a keyed client was not served within " + limit, last);
    }

    private static boolean readsToTheEnd(InputStream in) {
        try {
            while (in.read() != -1) {
                // whatever the server says before it closes
            }
            return true;
        } catch (IOException reset) {
            return !(reset instanceof java.net.SocketTimeoutException);
        }
    }

    @Test
    void largeBodiesAtOnceOnASmallHeapAreQueuedOrRefusedNeverAnOutOfMemoryError() throws Exception {
        server = launch("--pool-size", "0", "--max-concurrent", "6").jvm("-Xmx256m").start();
        // 31 MB of JSON that parses, then fails validation: all the cost is in reading and parsing
        String padding = "x".repeat(31 * 1024 * 1024);
        String body = "{\"model\":\"sonnet\",\"padding\":\"" + padding + "\",\"messages\":[]}";
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(clients.submit((Callable<Integer>) () -> send(body)));
        }
        List<Integer> seen = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            seen.add(status.get());
        }
        clients.close();

        assertThat(seen).allSatisfy(status -> assertThat(status).isIn(400, 413, 429, 503));
        assertThat(seen).contains(400);
        assertThat(server.log()).doesNotContain("OutOfMemoryError");
        assertThat(Faults.post(server, "/v1/chat/completions", CHAT).status()).isEqualTo(200);
    }

    private int send(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(bytes);
            } catch (IOException refusedEarly) {
                // the server may answer (413, 503) and close before the whole body is sent
            }
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private long logLines(String regex) {
        try {
            return server.log().lines().filter(java.util.regex.Pattern.compile(regex).asPredicate()).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private long diedIdle() {
        try (RawHttp client = RawHttp.connect(server.address(), Duration.ofSeconds(10))) {
            client.send(List.of("GET /health HTTP/1.1", "Host: 127.0.0.1", "Connection: close"), "");
            return new ObjectMapper().readTree(client.readResponse().body()).path("engine").path("died_idle").asLong();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCliKilledWhileItsConversationIsHeldIsReplacedForTheNextTurn() throws Exception {
        server = launch("--pool-size", "2", "--warm", "0").start();
        RawHttp.Response first = Faults.post(server, "/v1/chat/completions", CHAT);
        assertThat(first.status()).isEqualTo(200);
        Await.until(Duration.ofSeconds(10), "the conversation's CLI is held", () -> server.claudeProcesses() == 1);
        server.children().forEach(ProcessHandle::destroyForcibly);
        Await.until(Duration.ofSeconds(10), "the pool noticed that its idle CLI died", () -> diedIdle() == 1);

        String followUp = """
                {"model":"sonnet","messages":[{"role":"user","content":"Say hello"},
                  {"role":"assistant","content":"Hello from the fake upstream"},
                  {"role":"user","content":"Again"}]}""";
        RawHttp.Response second = Faults.post(server, "/v1/chat/completions", followUp);

        assertThat(second.status()).isEqualTo(200);
        Await.until(Duration.ofSeconds(5), "the follow-up was served by a new CLI",
                () -> logLines("status=200 .*engine=cold") == 2);
        Await.until(Duration.ofSeconds(10), "only the pool's own CLI is left", () -> server.claudeProcesses() <= 2);
    }

    @Test
    void theServersOwnKeysNeverReachACliProcess() throws Exception {
        Map<String, String> env = new HashMap<>(Faults.environment(upstream, scratch));
        env.put("CLAUDE_MAX_API_KEYS", "sk-from-the-environment");
        env.put("SOME_DATABASE_PASSWORD", "hunter2");
        server = new ServerUnderTest.Launch(scratch, env).args("--claude-bin", RealCli.require().toString(),
                "--api-key", "sk-from-the-command-line", "--pool-size", "2", "--warm", "2").start();
        // a spare starts as nice, which then becomes the CLI: read the CLI's own environment
        Await.until(Duration.ofSeconds(30), "the warm spares run the CLI", () -> cliProcesses().size() == 2);

        for (ProcessHandle cli : cliProcesses()) {
            String environ = Files.readString(Path.of("/proc/" + cli.pid() + "/environ"), StandardCharsets.ISO_8859_1);
            assertThat(environ).contains("ANTHROPIC_BASE_URL=").doesNotContain("sk-from-the-environment")
                    .doesNotContain("CLAUDE_MAX_API").doesNotContain("hunter2");
        }
    }

    private List<ProcessHandle> cliProcesses() {
        return server.children().stream()
                .filter(child -> child.info().command().map(command -> command.contains("claude")).orElse(false))
                .toList();
    }

    @Test
    void anotherKeyCannotContinueAConversationThatIsNotItsOwn() throws Exception {
        server = launch("--pool-size", "4", "--warm", "0", "--api-key", "sk-alice", "--api-key", "sk-mallory").start();
        String followUp = """
                {"model":"sonnet","messages":[{"role":"user","content":"Say hello"},
                  {"role":"assistant","content":"Hello from the fake upstream"},
                  {"role":"user","content":"What did I say?"}]}""";
        assertThat(keyed("sk-alice", CHAT).status()).isEqualTo(200);

        assertThat(keyed("sk-mallory", followUp).status()).isEqualTo(200);
        assertThat(keyed("sk-alice", followUp).status()).isEqualTo(200);

        Await.until(Duration.ofSeconds(5), "three log lines", () -> logLines("POST /v1/chat/completions status=200") == 3);
        List<String> engines = server.log().lines().filter(line -> line.contains("POST /v1/chat/completions"))
                .map(line -> line.replaceAll(".* engine=(\\w+).*", "$1")).toList();
        assertThat(engines).as("Mallory's identical history starts afresh; Alice continues her live process")
                .containsExactly("cold", "cold", "live");
    }

    private RawHttp.Response keyed(String key, String body) throws IOException {
        try (RawHttp client = RawHttp.connect(server.address(), Duration.ofSeconds(60))) {
            client.send(List.of("POST /v1/chat/completions HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer " + key,
                    "Content-Type: application/json", "Connection: close",
                    "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length), body);
            return client.readResponse();
        }
    }

    @Test
    void aRequestWaitingInTheQueueLongerThanTheRequestTimeoutIsStillAnswered() throws Exception {
        upstream.always(new UpstreamReply.Text("word ".repeat(16), 16, 12, 16, Duration.ofMillis(250)));
        server = launch("--pool-size", "0", "--max-concurrent", "1", "--request-timeout", "2").start();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        Future<RawHttp.Response> first = clients.submit(() -> Faults.post(server, "/v1/chat/completions", CHAT));
        Await.until(Duration.ofSeconds(20), "the first answer runs", () -> server.claudeProcesses() == 1);

        Future<RawHttp.Response> queued = clients.submit(() -> Faults.post(server, "/v1/chat/completions", CHAT));

        assertThat(first.get().status()).isEqualTo(200);
        assertThat(queued.get().status()).as("queued for longer than the 2 s request timeout").isEqualTo(200);
        clients.close();
    }

    @Test
    void sighupTakesNewKeysAndAliasesWithoutDroppingAnAnswerInFlight() throws Exception {
        upstream.always(Faults.slowText());
        Path config = scratch.resolve("config.yaml");
        Files.writeString(config, "api-keys:\n  - name: old\n    key: sk-old-key\n");
        server = launch("--pool-size", "0", "--heartbeat", "0.2", "--config", config.toString()).start();
        try (RawHttp answer = RawHttp.connect(server.address(), Duration.ofSeconds(60))) {
            byte[] body = CHAT_STREAMED.getBytes(StandardCharsets.UTF_8);
            answer.send(List.of("POST /v1/chat/completions HTTP/1.1", "Host: 127.0.0.1",
                    "Content-Type: application/json", "Authorization: Bearer sk-old-key", "Connection: close",
                    "Content-Length: " + body.length), body);
            assertThat(answer.readHead().status()).isEqualTo(200);
            answer.readChunksUntil("\"content\":\"");

            Files.writeString(config, "api-keys:\n  - name: new\n    key: sk-new-key\nmodel-aliases:\n"
                    + "  gpt-4o: sonnet\n");
            server.signal("HUP");
            server.awaitLogLine("configuration reloaded: 1 API keys, 1 model aliases", Duration.ofSeconds(10));

            assertThat(get("/v1/models/gpt-4o", "sk-new-key").status()).isEqualTo(200);
            assertThat(get("/v1/models", "sk-old-key").status()).isEqualTo(401);
            assertThat(answer.readChunksUntil("[DONE]")).as("the answer that began before the reload")
                    .doesNotContain("\"error\"");
        }
        Files.writeString(config, "max-queue: lots\n");
        server.signal("HUP");
        server.awaitLogLine("configuration not reloaded, the old one stays: .*line 1", Duration.ofSeconds(10));
        assertThat(get("/v1/models", "sk-new-key").status()).isEqualTo(200);
    }

    private RawHttp.Response get(String path, String key) throws IOException {
        try (RawHttp client = RawHttp.connect(server.address(), Duration.ofSeconds(10))) {
            client.send(List.of("GET " + path + " HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer " + key,
                    "Connection: close"), "");
            return client.readResponse();
        }
    }
}
