package dev.claudemaxapi.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server as an operator runs it: {@code Main} in a JVM of its own (started from the test classpath, so no jar is
 * needed before the package phase), with its log in a file. Being a separate process, it can be sent signals, held
 * to a heap or a file-descriptor limit, and measured alone: its threads, open descriptors and {@code claude}
 * children, which is what the leak checks compare against a baseline.
 */
public final class ServerUnderTest implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private ServerUnderTest(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** How to start it. */
    public static final class Launch {
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private Optional<Integer> descriptorLimit = Optional.empty();
        private final Map<String, String> env;
        private final Path dir;

        public Launch(Path dir, Map<String, String> env) {
            this.dir = dir;
            this.env = env;
        }

        public Launch jvm(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        public Launch args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        /** Runs it under {@code ulimit -n}. */
        public Launch descriptorLimit(int limit) {
            descriptorLimit = Optional.of(limit);
            return this;
        }

        /** Starts it and waits until it listens; fails with its log if it exits first. */
        public ServerUnderTest start() throws IOException, InterruptedException {
            Path logFile = Files.createTempFile(dir, "server-", ".log");
            List<String> java = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // as the jar's manifest allows it: sqlite-jdbc loads its native library
            java.add("--enable-native-access=ALL-UNNAMED");
            java.addAll(jvmArgs);
            java.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.claudemaxapi.Main", "0"));
            java.addAll(args);
            List<String> argv = java;
            if (descriptorLimit.isPresent()) {
                // the test harness's own shell, only to set the limit; the server itself never uses one
                argv = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -n " + descriptorLimit.get() + " && exec \"$@\"",
                        "server"));
                argv.addAll(java);
            }
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Matcher listening = LISTENING.matcher(Files.readString(logFile));
                if (listening.find()) {
                    return new ServerUnderTest(process, logFile, Integer.parseInt(listening.group(1)));
                }
                if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n"
                            + Files.readString(logFile));
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("the server did not start:\n" + Files.readString(logFile));
        }
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits until a log line matches {@code regex}; returns that line. */
    public String awaitLogLine(String regex, Duration timeout) throws IOException, InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (String line : log().split("\n")) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no log line matches " + regex + " within " + timeout + ":\n" + log());
    }

    /** The JVM's threads, platform ones (virtual threads run on a few carriers). */
    public int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IOException("no thread count for " + pid());
    }

    /**
     * The JVM's threads without the pools the JDK sizes by itself: virtual-thread carriers (added while virtual
     * threads block in file reads, retired after 30 s idle), the common pool and the process reapers. What is
     * left are the threads a leak of the server's own would show in.
     */
    public int threadsOutsideJdkPools() throws IOException {
        int count = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException exited) {
                    continue;
                }
                if (!name.startsWith("ForkJoinPool") && !name.equals("process reaper")) {
                    count++;
                }
            }
        }
        return count;
    }

    public int openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            return (int) fds.count();
        }
    }

    /** What each open descriptor points at, for a failure message. */
    public String describeDescriptors() throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            for (Path fd : fds.sorted().toList()) {
                try {
                    out.append(fd.getFileName()).append(" -> ").append(Files.readSymbolicLink(fd)).append('\n');
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return out.toString();
    }

    /** Live {@code claude} processes below the server (stand-ins included). */
    public long claudeProcesses() {
        return process.descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("claude")).orElse(false)
                        || p.info().arguments().map(a -> String.join(" ", a).contains("claude")).orElse(false))
                .count();
    }

    public List<ProcessHandle> children() {
        return process.descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}) with the system's {@code kill}. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the server to exit; its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
