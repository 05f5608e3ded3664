package dev.claudemaxapi.bench;

import dev.claudemaxapi.testing.FakeUpstream;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's JVM settings side by side: the JDK's defaults, the launcher's {@code bin/jvm.options}, an alternative
 * that was not chosen, and the packaged runtime image with and without its AOT cache. For each: start to ready and
 * resident memory when idle (the real jar, pool off, so only the JVM is measured), then the proxy alone in a process
 * of its own with the same settings, under load and idle after it. Prints a markdown table.
 */
final class JvmComparison {
    private static final int STARTS = 5;
    private static final Duration SETTLE = Duration.ofSeconds(6);
    private static final int REQUESTS_PER_ROUND = 10_000;
    private static final int CLIENTS = 8;
    private static final int WARM_UP_ROUNDS = 2;
    private static final int MEASURED_ROUNDS = 5;

    private final Path cli;
    private final FakeUpstream upstream;

    JvmComparison(Path cli, FakeUpstream upstream) {
        this.cli = cli;
        this.upstream = upstream;
    }

    /** The columns that exist here: the image ones only after {@code bin/package}. */
    static List<ServerProcess.Launch> launches(Path jar, Path options, Path packageDir) {
        List<ServerProcess.Launch> launches = new ArrayList<>(List.of(
                ServerProcess.Launch.jdk("JDK defaults", jar, List.of()),
                ServerProcess.Launch.jdk("G1, 256 MiB heap (not chosen)", jar, List.of("-XX:+UseG1GC", "-Xms8m",
                        "-Xmx256m", "-XX:TrimNativeHeapInterval=5000")),
                ServerProcess.Launch.jdk("bin/jvm.options", jar, List.of("@" + options))));
        Path java = packageDir.resolve("runtime/bin/java");
        if (Files.isExecutable(java)) {
            List<String> image = List.of(java.toString(), "@" + packageDir.resolve("lib/jvm.options"));
            List<String> packagedJar = List.of("-jar", packageDir.resolve("lib/claude-max-api.jar").toString());
            launches.add(new ServerProcess.Launch("runtime image", concat(image, packagedJar)));
            Path cache = packageDir.resolve("lib/claude-max-api.aot");
            if (Files.isRegularFile(cache)) {
                launches.add(new ServerProcess.Launch("image + AOT cache (bin/package)",
                        concat(concat(image, List.of("-XX:AOTCache=" + cache)), packagedJar)));
            }
        }
        return launches;
    }

    void print(List<ServerProcess.Launch> launches) throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (ServerProcess.Launch launch : launches) {
            System.err.println("measuring the JVM's start: " + launch.name() + " ...");
            startAndIdle(launch, rows);
        }
        System.err.println("measuring the proxy alone under each JVM setting ...");
        proxyAlone(launches, rows);
        System.out.println("## The server's JVM: start-up, memory, throughput");
        System.out.println();
        System.out.println("Start to ready: from starting the process to the first answer of `/health` (the real jar,"
                + " `--pool-size 0`, so only the JVM is measured), median of " + STARTS + " starts; RSS "
                + SETTLE.toSeconds() + " s after each start. Proxy alone: the same JVM settings serving a zero-cost"
                + " engine from the test classes (an AOT cache is only valid for the jar, so that column has none),"
                + " all started at once and loaded in turn, round by round, by " + CLIENTS + " clients on the same"
                + " machine; the median of " + MEASURED_ROUNDS + " rounds of " + REQUESTS_PER_ROUND + " requests after "
                + WARM_UP_ROUNDS + " unmeasured ones.");
        System.out.println();
        StringBuilder header = new StringBuilder("| measure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (ServerProcess.Launch launch : launches) {
            header.append(' ').append(launch.name()).append(" |");
            rule.append("---|");
        }
        System.out.println(header);
        System.out.println(rule);
        rows.forEach((row, cells) -> System.out.println("| " + row + " | " + String.join(" | ", cells) + " |"));
    }

    private void startAndIdle(ServerProcess.Launch launch, Map<String, List<String>> rows) throws Exception {
        Stats ready = new Stats();
        Stats rss = new Stats();
        for (int i = 0; i < STARTS; i++) {
            Path scratch = Files.createTempDirectory("bench-jvm-");
            try (ServerProcess server = ServerProcess.start(launch, cli, ServerProcess.freePort(),
                    List.of("--pool-size", "0", "--data-dir", scratch.resolve("data").toString()),
                    Benchmark.environment(scratch, upstream), scratch.resolve("server.log"))) {
                ready.add(server.startToReadyMillis());
                Thread.sleep(SETTLE.toMillis());
                rss.add(server.rssMiB());
            }
        }
        cell(rows, "start to ready, ms p50", format("%.0f", ready.median()));
        cell(rows, "RSS idle after start, MiB p50", format("%.0f", rss.median()));
    }

    /**
     * Every setting's proxy alone, started together and loaded in turn round by round, so that the machine's drift
     * (these machines are shared) falls on all of them alike.
     */
    private void proxyAlone(List<ServerProcess.Launch> launches, Map<String, List<String>> rows) throws Exception {
        List<Optional<ServerProcess>> servers = new ArrayList<>();
        try {
            for (ServerProcess.Launch launch : launches) {
                Optional<ServerProcess.Launch> proxyAlone = launch.proxyAlone(testClasspath());
                if (proxyAlone.isEmpty()) {
                    servers.add(Optional.empty());
                    continue;
                }
                Path scratch = Files.createTempDirectory("bench-jvm-");
                servers.add(Optional.of(ServerProcess.start(proxyAlone.get(), cli, ServerProcess.freePort(),
                        List.of(), Benchmark.environment(scratch, upstream), scratch.resolve("server.log"))));
            }
            for (boolean stream : new boolean[] {false, true}) {
                List<Stats> perSecond = new ArrayList<>();
                servers.forEach(ignored -> perSecond.add(new Stats()));
                for (int round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
                    for (int i = 0; i < servers.size(); i++) {
                        if (servers.get(i).isPresent()) {
                            double rate = Benchmark.roundTrips(servers.get(i).get().port(), stream,
                                    REQUESTS_PER_ROUND, CLIENTS);
                            if (round >= WARM_UP_ROUNDS) {
                                perSecond.get(i).add(rate);
                            }
                        }
                    }
                }
                String row = "proxy alone, " + (stream ? "streaming" : "non-streaming") + " requests/s";
                for (int i = 0; i < servers.size(); i++) {
                    cell(rows, row, servers.get(i).isPresent() ? format("%.0f", perSecond.get(i).median()) : "-");
                }
            }
            for (Optional<ServerProcess> server : servers) {
                cell(rows, "RSS at the end of that load, MiB",
                        server.isPresent() ? format("%.0f", server.get().rssMiB()) : "-");
            }
            Thread.sleep(10_000);
            for (Optional<ServerProcess> server : servers) {
                cell(rows, "RSS idle 10 s after it, MiB",
                        server.isPresent() ? format("%.0f", server.get().rssMiB()) : "-");
            }
        } finally {
            for (Optional<ServerProcess> server : servers) {
                if (server.isPresent()) {
                    server.get().close();
                }
            }
        }
    }

    private static void cell(Map<String, List<String>> rows, String row, String value) {
        rows.computeIfAbsent(row, ignored -> new ArrayList<>()).add(value);
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }

    /** The class path this benchmark runs with: test classes, main classes and every dependency. */
    private static String testClasspath() {
        if (JvmComparison.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> paths = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                paths.add(Path.of(URI.create(url.toString())).toString());
            }
            return String.join(File.pathSeparator, paths);
        }
        return System.getProperty("java.class.path");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
