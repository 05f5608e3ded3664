package dev.claudemaxapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real server jar in its own JVM, so its memory and its CLI children can be measured apart from the client
 * (the benchmark, the soak). Figures come from {@code /proc}, so this runs on Linux only.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private double startToReadyMillis;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * How to start the server, up to and including its jar: {@code java [options] -jar claude-max-api.jar}, with
     * whichever JVM and options are being measured. The port, the CLI and the server's own options follow.
     */
    public record Launch(String name, List<String> command) {
        /**
         * This JDK's {@code java} with {@code jvmArgs} and the jar. Before JDK 22 the native heap trim that
         * {@code bin/jvm.options} sets is experimental or unknown, so there it is unlocked or skipped, as
         * {@code bin/lib.sh} does.
         */
        public static Launch jdk(String name, Path jar, List<String> jvmArgs) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() < 22 && !jvmArgs.isEmpty()) {
                command.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+IgnoreUnrecognizedVMOptions"));
            }
            command.addAll(jvmArgs);
            command.addAll(List.of("-jar", jar.toString()));
            return new Launch(name, List.copyOf(command));
        }

        /**
         * The same JVM and options serving the proxy alone ({@link OverheadServer}) from {@code classpath} instead
         * of the jar; empty with an AOT cache, which is only valid for the jar's class path, or without a java
         * command line to take them from (a launcher script).
         */
        Optional<Launch> proxyAlone(String classpath) {
            int jar = command.indexOf("-jar");
            if (jar < 0 || command.stream().anyMatch(option -> option.startsWith("-XX:AOTCache="))) {
                return Optional.empty();
            }
            List<String> proxyAlone = new ArrayList<>(command.subList(0, jar));
            proxyAlone.addAll(List.of("-cp", classpath, OverheadServer.class.getName()));
            return Optional.of(new Launch(name, List.copyOf(proxyAlone)));
        }
    }

    /**
     * Starts {@code launch}'s command with {@code PORT --claude-bin cli [serverArgs]}, exactly {@code env}, and waits
     * until {@code /health} answers. The log level is warn unless {@code serverArgs} sets one.
     */
    public static ServerProcess start(Launch launch, Path cli, int port, List<String> serverArgs,
            Map<String, String> env, Path log) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(launch.command());
        argv.addAll(List.of(Integer.toString(port), "--claude-bin", cli.toString()));
        if (!serverArgs.contains("--log-level")) {
            argv.addAll(List.of("--log-level", "warn"));
        }
        argv.addAll(serverArgs);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        long started = System.nanoTime();
        ServerProcess server = new ServerProcess(builder.start(), port);
        try {
            server.awaitHealthy();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        server.startToReadyMillis = (System.nanoTime() - started) / 1e6;
        return server;
    }

    /** From starting the process to the first answer of {@code /health}, polled every 10 ms. */
    public double startToReadyMillis() {
        return startToReadyMillis;
    }

    /** A loopback port nobody listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with code " + process.exitValue());
            }
            try {
                if (health().path("status").asText().equals("ok")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the server did not come up");
    }

    /** What {@code GET /health} says right now. */
    public JsonNode health() throws IOException, InterruptedException {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * Waits until no request runs or waits, every CLI process the engine tracks is idle in the pool (none
     * answering or still exiting), and the pool, if any, has {@code warmSpares} spares again.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout, int warmSpares) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode health = health();
            JsonNode engine = health.path("engine");
            long idleInPool = engine.path("warm").asLong() + engine.path("live_conversations").asLong();
            boolean spares = engine.path("pool_size").asLong() == 0 || engine.path("warm").asLong() >= warmSpares;
            if (health.path("requests").path("in_flight").asInt() == 0
                    && health.path("requests").path("queued").asInt() == 0
                    && engine.path("processes").asLong() == idleInPool && spares) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Resident memory of the server JVM alone, in MiB. */
    public double rssMiB() throws IOException {
        return rssMiB(process.pid());
    }

    /** Resident memory of all its CLI children together, in MiB. */
    public double childrenRssMiB() {
        return process.descendants().mapToDouble(p -> {
            try {
                return rssMiB(p.pid());
            } catch (IOException gone) {
                return 0;
            }
        }).sum();
    }

    public long cliProcesses() {
        return process.descendants().filter(ProcessHandle::isAlive).count();
    }

    /** Live descendants that are the {@code claude} executable, wherever they are in the tree. */
    public List<ProcessHandle> claudeProcesses() {
        return process.descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("claude")).orElse(false))
                .toList();
    }

    /** Threads of the server JVM: platform threads, including the carriers of its virtual threads. */
    public long threads() throws IOException {
        return statusValue(process.pid(), "Threads:");
    }

    /** File descriptors the server JVM holds open: sockets, pipes to its CLIs, files. */
    public long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.count();
        }
    }

    /**
     * The heap the server's live objects take, in MiB: what is in use right after a full collection, which this
     * forces through the JDK's {@code jcmd}; so only for an idle server.
     */
    public double liveHeapMiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = Pattern.compile(" used (\\d+)K").matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IOException("jcmd GC.heap_info gave no heap figure");
        }
        return Long.parseLong(used.group(1)) / 1024.0;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("jcmd-", ".txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new IOException("jcmd " + command + " did not finish in 30 s");
            }
            String text = Files.readString(output);
            if (jcmd.exitValue() != 0) {
                String firstLines = String.join(" ", text.lines().limit(2).toList());
                throw new IOException("jcmd " + command + " failed: " + firstLines);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static double rssMiB(long pid) throws IOException {
        return statusValue(pid, "VmRSS:") / 1024.0;
    }

    /** A numeric field of {@code /proc/PID/status} (kB for sizes), 0 when absent. */
    private static long statusValue(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** SIGTERM (the server stops its CLIs itself), then, if it is still up after 20 s, a kill of the whole tree. */
    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(20));
    }

    /**
     * SIGTERM, then up to {@code wait} for the server to exit by itself (a JVM that writes an AOT cache at exit
     * takes seconds), else a kill of the whole tree.
     *
     * @return the exit code, or empty when it had to be killed
     */
    public OptionalInt stop(Duration wait) throws InterruptedException {
        process.destroy();
        if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(process.exitValue());
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return OptionalInt.empty();
    }
}
