package dev.claudemaxapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.http.ProxyServer;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.UpstreamReply;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the server with the real pinned CLI against an upstream that answers at once, with the pool off
 * ({@code --pool-size 0}: a CLI per request, the original design) and on (the defaults), side by side in one run;
 * then the proxy's own overhead with a zero-cost engine. Prints markdown tables. Run it with {@code bin/bench}.
 */
public final class Benchmark {
    static final String ANSWER = "Hello from the benchmark upstream";
    static final String TOOL = "bench_tool";
    private static final Duration PAUSE_BETWEEN_NEW_CONVERSATIONS = Duration.ofMillis(1500);
    private static final Path OPTIONS = Path.of("bin/jvm.options").toAbsolutePath();
    /** What {@code bin/package} makes; its columns are left out when it is missing. */
    private static final Path PACKAGE = Path.of("target/claude-max-api").toAbsolutePath();

    record Mode(String name, List<String> args) {}

    /** Everything measured for one mode; keys are row labels. */
    static final class Result {
        final Map<String, Stats> latencies = new LinkedHashMap<>();
        final Map<String, Double> values = new LinkedHashMap<>();

        Stats stats(String name) {
            return latencies.computeIfAbsent(name, ignored -> new Stats());
        }
    }

    public static void main(String[] args) throws Exception {
        // As in Main: before any JDK HttpServer (the fake upstream is one) reads its configuration.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        discardLogs();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        if (args.length > 1 && args[1].equals("--streams-only")) {
            printManyStreams();
            return;
        }
        Path jar = Path.of("target/claude-max-api.jar").toAbsolutePath();
        Path cli = Path.of(System.getProperty("claude.cli.dir", ".cli"))
                .resolve("node_modules/@anthropic-ai/claude-code-linux-x64/claude").toAbsolutePath();
        if (!Files.isRegularFile(jar) || !Files.isExecutable(cli)) {
            throw new IllegalStateException("needs " + jar + " and " + cli + " (bin/bench builds and installs them)");
        }
        if (args.length > 1 && args[1].equals("--jvm-only")) {
            try (FakeUpstream upstream = new FakeUpstream()) {
                new JvmComparison(cli, upstream).print(JvmComparison.launches(jar, OPTIONS, PACKAGE));
            }
            return;
        }
        System.out.println("# claude-max-api benchmark");
        System.out.println();
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version() + ". Real CLI " + cli.getParent().getFileName() + " against a local upstream that"
                + " answers at once; " + rounds + " requests per row and mode (medians are the figures to quote).");
        System.out.println();

        // the CLI measures run the server as bin/claude-max-api does
        ServerProcess.Launch launch = ServerProcess.Launch.jdk("bin/jvm.options", jar, List.of("@" + OPTIONS));
        List<Mode> modes = List.of(new Mode("--pool-size 0", List.of("--pool-size", "0")),
                new Mode("pool, --no-recycle", List.of("--no-recycle")), new Mode("default pool (rewind)", List.of()));
        List<Result> results = new ArrayList<>();
        try (FakeUpstream upstream = upstream()) {
            for (Mode mode : modes) {
                System.err.println("measuring " + mode.name() + " ...");
                results.add(measure(mode, launch, cli, upstream, rounds));
            }
        }
        printCliTable(modes, results);
        System.out.println();
        try (FakeUpstream upstream = new FakeUpstream()) {
            upstream.always(new UpstreamReply.Text(ANSWER, 3, 50, 10, Duration.ZERO));
            System.err.println("measuring one process over 100 conversations ...");
            printOneProcess(launch, cli, upstream);
            System.out.println();
            new JvmComparison(cli, upstream).print(JvmComparison.launches(jar, OPTIONS, PACKAGE));
        }
        System.out.println();
        printManyStreams();
    }

    /**
     * The default engine with room for one process: 100 new conversations in a row, each recycled by rewind into
     * the same process. Its resident memory is read after the 1st, 10th, 50th and 100th.
     */
    private static void printOneProcess(ServerProcess.Launch launch, Path cli, FakeUpstream upstream)
            throws Exception {
        Path scratch = Files.createTempDirectory("bench-");
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.start(launch, cli, port,
                List.of("--pool-size", "1", "--warm", "0", "--max-process-turns", "1000"), environment(scratch,
                        upstream), scratch.resolve("server.log"))) {
            ChatClient client = new ChatClient(port);
            System.out.println("## One CLI process, 100 conversations (default engine, --pool-size 1 --warm 0)");
            System.out.println();
            System.out.println("| after conversation | CLI processes started | CLI RSS, MiB | first token, ms p50 |");
            System.out.println("|---|---|---|---|");
            Stats firstToken = new Stats();
            for (int i = 1; i <= 100; i++) {
                ChatClient.Timing timing = client.send(List.of("conversation " + i));
                if (!timing.text().equals(ANSWER)) {
                    throw new IllegalStateException("wrong answer: " + timing.text());
                }
                firstToken.add(timing.firstTokenMillis());
                if (i == 1 || i == 10 || i == 50 || i == 100) {
                    server.awaitIdle(Duration.ofSeconds(60), 0);
                    System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f |%n", i,
                            server.health().path("engine").path("spawned").asLong(), server.childrenRssMiB(),
                            firstToken.median());
                    firstToken = new Stats();
                }
            }
        }
    }

    static Map<String, String> environment(Path scratch, FakeUpstream upstream) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", Files.createDirectories(scratch.resolve("home")).toString());
        env.put("TMPDIR", Files.createDirectories(scratch.resolve("tmp")).toString());
        env.put("ANTHROPIC_BASE_URL", upstream.baseUrl());
        env.put("CLAUDE_CODE_OAUTH_TOKEN", "oat-bench");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        return env;
    }

    private static Result measure(Mode mode, ServerProcess.Launch launch, Path cli, FakeUpstream upstream, int rounds)
            throws Exception {
        Path scratch = Files.createTempDirectory("bench-");
        Map<String, String> env = environment(scratch, upstream);
        Result result = new Result();
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.start(launch, cli, port, mode.args(), env,
                scratch.resolve("server.log"))) {
            ChatClient client = new ChatClient(port);
            client.send(List.of("warm up"));
            awaitIdle(server);

            // (a) new conversations, one at a time, with a pause as a person would leave
            for (int i = 0; i < rounds; i++) {
                Thread.sleep(PAUSE_BETWEEN_NEW_CONVERSATIONS.toMillis());
                ChatClient.Timing timing = client.send(List.of("new conversation " + i));
                record(result, "new conversation, c=1", timing);
            }
            // (b) one conversation, turn after turn
            awaitIdle(server);
            List<String> history = List.of("follow-up conversation");
            client.send(history);
            for (int i = 0; i < rounds; i++) {
                history = ChatClient.extend(history, ANSWER, "follow-up " + i);
                record(result, "follow-up turn, c=1", client.send(history));
            }
            // (b2) regenerate the last answer of that conversation, as a chat UI's "regenerate" sends it
            awaitIdle(server);
            List<String> regenerated = history;
            for (int i = 0; i < rounds; i++) {
                record(result, "regenerate last answer, c=1", client.send(regenerated));
            }
            // (b3) a tool round: the model calls the client's tool, and the continuation after the client's result is
            // timed: held in the process that waits inside the call, or rebuilt in a fresh one
            for (int i = 0; i < rounds; i++) {
                awaitIdle(server);
                String question = "tool round " + i;
                ChatClient.Timing call = client.sendBody(toolRequest(question, Optional.empty()));
                String id = call.toolCallId().orElseThrow(() -> new IllegalStateException("no tool call"));
                record(result, "tool round continuation, c=1", client.sendBody(toolRequest(question, Optional.of(id))));
            }
            // (b4) a Responses API chain: each request names the last response and adds one message; the stored
            // chain is the history, which the conversation's process still holds, or which a fresh one is given
            awaitIdle(server);
            ChatClient.Reply last = client.respond("chain start", Optional.empty());
            for (int i = 0; i < rounds; i++) {
                last = client.respond("chain step " + i, Optional.of(last.id()));
                result.stats("previous_response_id follow-up, c=1: whole answer").add(last.totalMillis());
            }
            // (c) new conversations, four clients back to back, after one unmeasured round (the same in every mode)
            awaitIdle(server);
            concurrent(port, 1, false, new Result(), "warm-up");
            result.values.put("new conversations/s, c=4", concurrent(port, rounds, false, result,
                    "new conversation, c=4"));
            // (d) four conversations at once, turn after turn
            awaitIdle(server);
            result.values.put("follow-up turns/s, c=4", concurrent(port, rounds, true, result,
                    "follow-up turn, c=4"));
            awaitIdle(server);
            result.values.put("proxy RSS, MiB", server.rssMiB());
            result.values.put("CLI processes alive at the end", (double) server.cliProcesses());
            JsonNode engine = server.health().path("engine");
            result.values.put("...of them idle in the pool (warm + live)",
                    (double) (engine.path("warm").asLong() + engine.path("live_conversations").asLong()));
            result.values.put("CLI RSS at the end, MiB", server.childrenRssMiB());
        }
        return result;
    }

    /** A question that makes the upstream call {@link #TOOL}, and with {@code callId} the call and its result. */
    static String toolRequest(String question, Optional<String> callId) {
        StringBuilder messages = new StringBuilder("{\"role\":\"user\",\"content\":\"" + question + "\"}");
        callId.ifPresent(id -> messages.append(",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"")
                .append(id).append("\",\"type\":\"function\",\"function\":{\"name\":\"").append(TOOL)
                .append("\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"").append(id)
                .append("\",\"content\":\"42\"}"));
        return "{\"model\":\"sonnet\",\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\""
                + TOOL + "\",\"parameters\":{\"type\":\"object\"}}}],\"messages\":[" + messages + "]}";
    }

    /**
     * The benchmark upstream: it calls {@link #TOOL} when offered and no result is in the conversation yet (a
     * {@code tool_result} block, or the history text of a rebuilt conversation), and otherwise answers at once.
     */
    static FakeUpstream upstream() throws IOException {
        FakeUpstream upstream = new FakeUpstream();
        upstream.always(new UpstreamReply.Text(ANSWER, 3, 50, 10, Duration.ZERO));
        upstream.route(request -> {
            for (JsonNode tool : request.path("tools")) {
                if (tool.path("name").asText().endsWith("__" + TOOL)) {
                    return request.path("messages").toString().contains("tool_use_id") ? null
                            : new UpstreamReply.ToolUse(tool.path("name").asText(), "{}");
                }
            }
            return null;
        });
        return upstream;
    }

    private static double concurrent(int port, int rounds, boolean followUps, Result result, String row)
            throws Exception {
        int clients = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            AtomicInteger done = new AtomicInteger();
            for (int c = 0; c < clients; c++) {
                int clientNo = c;
                futures.add(pool.submit(() -> {
                    ChatClient client = new ChatClient(port);
                    List<String> history = List.of("conversation of client " + clientNo);
                    if (followUps) {
                        client.send(history);
                    }
                    for (int i = 0; i < rounds; i++) {
                        List<String> request = followUps
                                ? (history = ChatClient.extend(history, ANSWER, "turn " + i))
                                : List.of("client " + clientNo + " conversation " + i);
                        record(result, row, client.send(request));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return done.get() / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void record(Result result, String row, ChatClient.Timing timing) {
        if (!timing.text().equals(ANSWER)) {
            throw new IllegalStateException("wrong answer: " + timing.text());
        }
        result.stats(row + ": first token").add(timing.firstTokenMillis());
        result.stats(row + ": whole answer").add(timing.totalMillis());
    }

    /** Waits until no answer is running and the pool, if any, has its spares again, so rows do not overlap. */
    private static void awaitIdle(ServerProcess server) throws Exception {
        server.awaitIdle(Duration.ofSeconds(60), 2);
    }

    private static void printCliTable(List<Mode> modes, List<Result> results) {
        System.out.println("## The real CLI, side by side (ratios against " + modes.get(0).name() + ")");
        System.out.println();
        StringBuilder header = new StringBuilder("| measure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int m = 0; m < modes.size(); m++) {
            header.append(' ').append(modes.get(m).name()).append(" |");
            rule.append("---|");
            if (m > 0) {
                header.append(" ratio |");
                rule.append("---|");
            }
        }
        System.out.println(header);
        System.out.println(rule);
        for (String row : results.get(0).latencies.keySet()) {
            Stats base = results.get(0).latencies.get(row);
            StringBuilder line = new StringBuilder("| " + row + ", ms p50 / p95 |");
            for (int m = 0; m < modes.size(); m++) {
                Stats stats = results.get(m).latencies.get(row);
                line.append(String.format(Locale.ROOT, " %.0f / %.0f |", stats.median(), stats.percentile(95)));
                if (m > 0) {
                    line.append(String.format(Locale.ROOT, " %.1fx |", base.median() / stats.median()));
                }
            }
            System.out.println(line);
        }
        for (String row : results.get(0).values.keySet()) {
            double base = results.get(0).values.get(row);
            StringBuilder line = new StringBuilder("| " + row + " |");
            for (int m = 0; m < modes.size(); m++) {
                double value = results.get(m).values.get(row);
                line.append(String.format(Locale.ROOT, " %.1f |", value));
                if (m > 0) {
                    line.append(row.contains("/s") ? String.format(Locale.ROOT, " %.1fx |", value / base) : " |");
                }
            }
            System.out.println(line);
        }
    }

    /** The proxy alone with a zero-cost engine, in this process: many open streams at once. */
    private static void printManyStreams() throws Exception {
        System.out.println("## Many streams at once (zero-cost engine, in-process server, loopback)");
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        try (ZeroCostEngine engine = ZeroCostEngine.holding();
                ProxyServer server = OverheadServer.start(engine, 0, 2000, 0)) {
            int streams = 1000;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                responses.add(http.sendAsync(request(server.address().getPort(), true),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (engine.holding.get() < streams && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int held = engine.holding.get();
            long threads = Thread.getAllStackTraces().size();
            engine.release();
            int ok = 0;
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> done = response.get();
                if (done.statusCode() == 200 && done.body().contains("data: [DONE]") && !done.body().contains("error")) {
                    ok++;
                }
            }
            System.out.printf(Locale.ROOT, "| concurrent streams held open at once | %d of %d |%n", held, streams);
            System.out.printf(Locale.ROOT, "| ...completed without error after release | %d of %d |%n", ok, streams);
            System.out.printf(Locale.ROOT, "| ...platform threads in the JVM meanwhile | %d |%n", threads);
        }
    }

    /** {@code total} chat requests from {@code threads} clients at once; requests per second. */
    static double roundTrips(int port, boolean stream, int total, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    roundTrips(port, stream, total / threads);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void roundTrips(int port, boolean stream, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = request(port, stream);
        for (int i = 0; i < count; i++) {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                body.readAllBytes();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status " + response.statusCode());
            }
        }
    }

    private static HttpRequest request(int port, boolean stream) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sonnet\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
    }

    /** The in-process server still formats its request log lines, as in production, but they are not printed. */
    private static void discardLogs() {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.INFO);
        root.addHandler(new java.util.logging.Handler() {
            private final java.util.logging.SimpleFormatter formatter = new java.util.logging.SimpleFormatter();

            @Override
            public void publish(java.util.logging.LogRecord record) {
                formatter.format(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }
}
