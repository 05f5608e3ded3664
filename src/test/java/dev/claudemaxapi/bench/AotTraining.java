package dev.claudemaxapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.RealCli;
import dev.claudemaxapi.testing.Scratch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training run behind the packaged AOT cache ({@code bin/package}): the packaged server, started with
 * {@code -XX:AOTCacheOutput}, answers a round of every kind of request through the real CLI against a local
 * upstream: both APIs streamed and not, Responses chains, a tool round, the operator routes and some errors. The
 * JVM writes the cache of what that loaded, linked and profiled when it exits.
 *
 * <p>Arguments: {@code train DIR} writes {@code DIR/lib/claude-max-api.aot} for the package directory {@code DIR},
 * which holds {@code runtime/}, {@code lib/claude-max-api.jar} and {@code lib/jvm.options}; {@code check DIR} runs
 * an unpacked copy of the package through its launcher and fails unless it uses the cache and answers.
 */
public final class AotTraining {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final ChatClient chat;

    private AotTraining(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.chat = new ChatClient(port);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]).toAbsolutePath();
        switch (args[0]) {
            case "train" -> train(dir);
            case "check" -> check(dir);
            default -> throw new IllegalArgumentException("train DIR or check DIR, not " + args[0]);
        }
    }

    /** Writes {@code lib/claude-max-api.aot}, or fails and leaves none. */
    private static void train(Path dir) throws Exception {
        Path cache = dir.resolve("lib/claude-max-api.aot");
        Files.deleteIfExists(cache);
        ServerProcess.Launch launch = new ServerProcess.Launch("training", List.of(
                dir.resolve("runtime/bin/java").toString(), "@" + dir.resolve("lib/jvm.options"),
                "-XX:AOTCacheOutput=" + cache, "-jar", dir.resolve("lib/claude-max-api.jar").toString()));
        Path scratch = Files.createTempDirectory("aot-training-");
        Path log = scratch.resolve("server.log");
        boolean trained = false;
        try (FakeUpstream upstream = Benchmark.upstream()) {
            ServerProcess server = ServerProcess.start(launch, RealCli.require(), ServerProcess.freePort(),
                    List.of("--data-dir", scratch.resolve("data").toString()), RealCli.environment(upstream, scratch),
                    log);
            try {
                new AotTraining(server.port()).everyKindOfRequest();
            } finally {
                // writing the cache at exit takes a while: a second JVM assembles it
                if (server.stop(Duration.ofMinutes(5)).isEmpty()) {
                    throw new IllegalStateException("the training server did not exit:\n" + Files.readString(log));
                }
            }
            if (!Files.isRegularFile(cache)) {
                throw new IllegalStateException("no AOT cache was written:\n" + Files.readString(log));
            }
            trained = true;
        } finally {
            if (trained) {
                Scratch.delete(scratch);
            } else {
                // the JVM writes a cache at exit even when the training went wrong or never started; not that one
                Files.deleteIfExists(cache);
                System.err.println("The training's files, the server's log among them, are kept in " + scratch);
            }
        }
        System.out.printf("AOT cache: %s (%d MiB)%n", cache, Files.size(cache) >> 20);
    }

    /**
     * Runs the package in {@code dir} as a user would, through its launcher, and fails unless the JVM used the
     * cache, the server knows its version, and it answered a request through the real CLI.
     */
    private static void check(Path dir) throws Exception {
        Path scratch = Files.createTempDirectory("aot-check-");
        try {
            check(dir, scratch);
        } catch (Exception e) {
            System.err.println("The check's files, the server's log among them, are kept in " + scratch);
            throw e;
        }
        Scratch.delete(scratch);
    }

    private static void check(Path dir, Path scratch) throws Exception {
        Path aotLog = scratch.resolve("aot.log");
        try (FakeUpstream upstream = Benchmark.upstream()) {
            Map<String, String> env = new HashMap<>(RealCli.environment(upstream, scratch));
            env.put("JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + aotLog);
            ServerProcess.Launch launcher = new ServerProcess.Launch("package",
                    List.of(dir.resolve("bin/claude-max-api").toString()));
            try (ServerProcess server = ServerProcess.start(launcher, RealCli.require(), ServerProcess.freePort(),
                    List.of("--data-dir", scratch.resolve("data").toString()), env, scratch.resolve("server.log"))) {
                String answer = new ChatClient(server.port()).send(List.of("is the package working?")).text();
                if (!answer.equals(Benchmark.ANSWER)) {
                    throw new IllegalStateException("the packaged server answered " + answer);
                }
                // the version comes from the jar's manifest through the class's package, which classes from a cache
                // made in another directory could lack; without it the server says "dev"
                String version = server.health().path("version").asText();
                if (version.isEmpty() || version.equals("dev")) {
                    throw new IllegalStateException("the packaged server does not know its version: " + version);
                }
                String aot = Files.readString(aotLog);
                if (!aot.contains("Using AOT-linked classes: true")) {
                    throw new IllegalStateException("the packaged server did not use its AOT cache:\n" + aot);
                }
                System.out.printf("Checked in %s: the package starts with its AOT cache (ready in %.0f ms), knows"
                        + " its version (%s) and answers.%n", dir, server.startToReadyMillis(), version);
            }
        }
    }

    /**
     * One request of every kind. One is enough: the cache holds what was loaded and linked, which more rounds would
     * not add to, and each class in it stays resident.
     */
    private void everyKindOfRequest() throws IOException, InterruptedException {
        String user = "\"messages\":[{\"role\":\"user\",\"content\":\"training\"}]";
        for (boolean stream : new boolean[] {false, true}) {
            post("/v1/chat/completions", "{\"model\":\"sonnet\",\"stream\":" + stream + "," + user + "}", 200);
            post("/v1/messages", "{\"model\":\"sonnet\",\"max_tokens\":512,\"stream\":" + stream + "," + user + "}",
                    200);
            JsonNode first = json.readTree(post("/v1/responses",
                    "{\"model\":\"sonnet\",\"input\":\"training " + stream + "\"}", 200));
            post("/v1/responses", "{\"model\":\"sonnet\",\"stream\":" + stream + ",\"previous_response_id\":\""
                    + first.path("id").asText() + "\",\"input\":\"and on\"}", 200);
            get("/v1/responses/" + first.path("id").asText(), 200);
            post("/v1/completions", "{\"model\":\"sonnet\",\"stream\":" + stream + ",\"prompt\":\"once\"}", 200);
        }
        chat.send(List.of("training", Benchmark.ANSWER, "a follow-up"));
        post("/v1/messages/count_tokens", "{\"model\":\"sonnet\"," + user + "}", 200);
        String question = "training tool round";
        String id = chat.sendBody(Benchmark.toolRequest(question, Optional.empty())).toolCallId()
                .orElseThrow(() -> new IllegalStateException("the tool round made no call"));
        chat.sendBody(Benchmark.toolRequest(question, Optional.of(id)));
        for (String path : List.of("/health", "/v1/models", "/metrics", "/usage", "/usage?group_by=model", "/",
                "/status/app.js", "/status/app.css", "/status/requests")) {
            get(path, 200);
        }
        post("/v1/chat/completions", "{\"model\":", 400);
        post("/v1/messages", "{\"model\":\"sonnet\"," + user + "}", 400);
        get("/v1/nothing-here", 404);
    }

    private String post(String path, String body, int expected) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body)), expected);
    }

    private String get(String path, int expected) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), expected);
    }

    private String send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode()
                    + " instead of " + expected + ": " + response.body());
        }
        return response.body();
    }
}
