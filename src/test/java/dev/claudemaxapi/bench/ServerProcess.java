package dev.claudemaxapi.bench;

import java.io.IOException;
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

/** The real server jar in its own JVM, so its memory and its CLI children can be measured apart from the client. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServerProcess start(Path jar, Path cli, int port, List<String> extraArgs, Map<String, String> env,
            Path log) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                Integer.toString(port), "--claude-bin", cli.toString(), "--log-level", "warn"));
        argv.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        ServerProcess server = new ServerProcess(builder.start(), port);
        server.awaitHealthy();
        return server;
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with code " + process.exitValue());
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not come up");
    }

    /** Resident memory of the server JVM alone, in MiB. */
    double rssMiB() throws IOException {
        return rssMiB(process.pid());
    }

    /** Resident memory of all its CLI children together, in MiB. */
    double childrenRssMiB() {
        return process.descendants().mapToDouble(p -> {
            try {
                return rssMiB(p.pid());
            } catch (IOException gone) {
                return 0;
            }
        }).sum();
    }

    long cliProcesses() {
        return process.descendants().filter(ProcessHandle::isAlive).count();
    }

    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return 0;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
