package dev.claudemaxapi.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.bench.ServerProcess;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.RealCli;
import dev.claudemaxapi.testing.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A soak of the server jar with the real pinned CLI against a fake upstream: a few clients send mixed traffic for
 * the given minutes (streams, non-streams, follow-ups, disconnects, slow readers, injected upstream errors) while
 * the server's memory, threads, descriptors and CLI processes are sampled; then a markdown report and PASS or FAIL
 * (exit code 0 or 1). Run it with {@code bin/soak MINUTES [SEED]}. Not a test class: the build never runs it.
 */
public final class Soak {
    private static final int CLIENTS = 4;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final Duration MAX_WARM_UP = Duration.ofSeconds(30);
    private static final Duration IDLE_WAIT = Duration.ofSeconds(60);
    /**
     * How long the idle server gets to drop threads and descriptors it no longer needs before the end sample:
     * the virtual-thread scheduler keeps an extra carrier thread (started while virtual threads were blocked
     * reading CLI pipes) for 30 s after its last use. A leaked thread or descriptor stays beyond this.
     */
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(45);
    /** Longer than any one scenario can take, given its per-request deadlines. */
    private static final Duration CLIENT_WAIT = SoakClient.TIMEOUT.multipliedBy(2);
    private static final int MAX_THINK_MILLIS = 300;
    /** The server's default {@code --warm}: the idle pool has this many spares. */
    private static final int WARM_SPARES = 2;
    /**
     * A modest heap, committed and touched at start: otherwise the server's RSS grows for many minutes as the
     * collector first touches more of its heap, which is no leak but would hide one. A leak in the heap shows in
     * the live heap after a full GC instead, which the report gives too.
     */
    static final List<String> JVM_ARGS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
    /** What a user would pass; the pool keeps its defaults. */
    static final List<String> SERVER_ARGS = List.of("--max-concurrent", "4", "--stall-timeout", "30",
            "--log-level", "info");

    /** Everything a run measured, for the report. */
    record Result(long seed, Duration traffic, Duration warmUp, int clients, Tally tally, List<Sample> samples,
            Sample baseline, JsonNode engine, boolean idleAtEnd, double baselineLiveHeapMiB, double endLiveHeapMiB) {
        /** The samples after the baseline, the end's last. */
        List<Sample> afterBaseline() {
            return samples.subList(samples.indexOf(baseline) + 1, samples.size());
        }

        /** CLI processes the idle pool may hold: its warm spares and live conversations, else its size. */
        long poolAllows() {
            return engine.has("warm") ? engine.path("warm").asLong() + engine.path("live_conversations").asLong()
                    : engine.path("pool_size").asLong(6);
        }
    }

    private final ServerProcess server;
    private final long seed;
    private final Duration traffic;
    private final Duration warmUp;
    private final Tally tally = new Tally();
    private final List<Sample> samples = new ArrayList<>();
    /** Clients hold it shared for each scenario; the baseline holds it exclusively, so it sees an idle server. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final AtomicReferenceArray<Scenario> running = new AtomicReferenceArray<>(CLIENTS);
    private volatile boolean stopping;
    private double baselineLiveHeap = Double.NaN;

    private Soak(ServerProcess server, long seed, Duration traffic) {
        this.server = server;
        this.seed = seed;
        this.traffic = traffic;
        Duration fifth = traffic.dividedBy(5);
        this.warmUp = fifth.compareTo(MAX_WARM_UP) < 0 ? fifth : MAX_WARM_UP;
    }

    public static void main(String[] args) throws Exception {
        // As in Main: before any JDK HttpServer (the fake upstream is one) reads its configuration.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis();
        Duration traffic = Duration.ofMillis(Math.round(minutes * 60_000));
        Path jar = Path.of("target/claude-max-api.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("needs " + jar + " (bin/soak builds it)");
        }
        Path cli = RealCli.require();
        Path scratch = Files.createTempDirectory("soak-");
        Path log = scratch.resolve("server.log");
        Result result = null;
        long claudeLeft;
        try (FakeUpstream upstream = new FakeUpstream().keepRequests(false).route(SoakUpstream::reply)) {
            ServerProcess server = ServerProcess.start(ServerProcess.Launch.jdk("soak", jar, JVM_ARGS), cli,
                    ServerProcess.freePort(), SERVER_ARGS,
                    RealCli.environment(upstream, scratch), log);
            // Ctrl-C or a kill of the soak must not leave the server and its CLIs behind.
            Thread cleanup = new Thread(() -> stop(server));
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                System.err.printf("soak: %s of traffic, seed %d, server pid %d, log %s%n", traffic, seed,
                        server.pid(), log);
                result = new Soak(server, seed, traffic).run();
            } catch (IOException e) {
                // sampling /proc fails once the server has gone; anything else is the harness's own failure
                if (server.isAlive()) {
                    throw e;
                }
            } finally {
                claudeLeft = stop(server);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running already; stopping twice is harmless
                }
            }
        }
        if (result == null) {
            System.out.println("**FAIL**: the server exited during the soak. The end of its log (kept in " + log
                    + "):");
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.out::println);
            System.out.flush();
            System.exit(1);
        }
        Verdict verdict = Verdict.judge(new Verdict.Measured(result.tally().total().requests(),
                result.tally().total().unexpected(), result.baseline(), result.afterBaseline(), result.poolAllows(),
                result.idleAtEnd(), claudeLeft));
        new SoakReport(System.out).print(result, ServerLog.read(log), claudeLeft, verdict);
        if (verdict.passed()) {
            Scratch.delete(scratch);
        } else {
            System.out.println();
            System.out.println("The server's log is kept in " + log + ".");
        }
        System.out.flush();
        System.exit(verdict.passed() ? 0 : 1);
    }

    private Result run() throws Exception {
        long started = System.nanoTime();
        samples.add(Sample.of(server, 0, "start"));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                client(client);
                return null;
            });
        }
        Sample baseline = null;
        long paused = 0;
        long nextSample = SAMPLE_EVERY.toNanos();
        // Traffic runs for the given minutes; the pause for the baseline does not count.
        for (long elapsed = 0; elapsed - paused < traffic.toNanos(); elapsed = System.nanoTime() - started) {
            if (baseline == null && elapsed >= warmUp.toNanos()) {
                long pause = System.nanoTime();
                baseline = baseline(started);
                samples.add(baseline);
                paused += System.nanoTime() - pause;
                nextSample = nextTick(System.nanoTime() - started);
            } else if (elapsed >= nextSample) {
                samples.add(progress(Sample.of(server, seconds(elapsed), baseline == null ? "warm-up" : "")));
                nextSample = nextTick(elapsed);
            } else {
                Thread.sleep(100);
            }
        }
        stopping = true;
        System.err.println("soak: traffic done, waiting for the clients and an idle server");
        clients.shutdown();
        if (!clients.awaitTermination(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            for (int c = 0; c < CLIENTS; c++) {
                Scenario stuck = running.get(c);
                if (stuck != null) {
                    tally.add(Outcome.unexpected(stuck, "client " + c + " still waiting after " + CLIENT_WAIT));
                }
            }
            clients.shutdownNow();
        }
        boolean idle = server.awaitIdle(IDLE_WAIT, WARM_SPARES);
        samples.add(progress(settled(baseline, started)));
        return new Result(seed, traffic, warmUp, CLIENTS, tally, List.copyOf(samples), baseline,
                server.health().path("engine"), idle, baselineLiveHeap, liveHeap());
    }

    /** One client: scenarios picked at random (its own seeded sequence), with a short pause between them. */
    private void client(int number) throws InterruptedException {
        Random random = new Random(seed * 31 + number);
        SoakClient client = new SoakClient(server.port());
        for (int i = 1; !stopping; i++) {
            gate.readLock().lockInterruptibly();
            try {
                if (stopping) {
                    return;
                }
                Scenario scenario = Scenario.pick(random.nextInt(Scenario.totalWeight()));
                running.set(number, scenario);
                client.run(scenario, "w" + number + "-" + i, random).forEach(tally::add);
                running.set(number, null);
            } finally {
                gate.readLock().unlock();
            }
            Thread.sleep(random.nextInt(MAX_THINK_MILLIS));
        }
    }

    /** Lets the clients finish their scenarios, waits for an idle server, samples it, and lets them go on. */
    private Sample baseline(long started) throws Exception {
        System.err.println("soak: warm-up done, pausing the clients for the baseline");
        boolean quiet = gate.writeLock().tryLock(CLIENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            boolean idle = quiet && server.awaitIdle(IDLE_WAIT, WARM_SPARES);
            Sample baseline = progress(Sample.of(server, seconds(System.nanoTime() - started),
                    idle ? "baseline" : "baseline (not idle)"));
            baselineLiveHeap = liveHeap();
            return baseline;
        } finally {
            if (quiet) {
                gate.writeLock().unlock();
            }
        }
    }

    /** The end sample, once threads and descriptors are back near the baseline or {@link #SETTLE_WAIT} passed. */
    private Sample settled(Sample baseline, long started) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
        while (true) {
            Sample end = Sample.of(server, seconds(System.nanoTime() - started), "end");
            if ((Verdict.threadsBack(baseline, end) && Verdict.filesBack(baseline, end))
                    || System.nanoTime() > deadline) {
                return end;
            }
            Thread.sleep(1000);
        }
    }

    /** The live heap of the (idle) server, or NaN when {@code jcmd} could not tell. */
    private double liveHeap() throws InterruptedException {
        try {
            return server.liveHeapMiB();
        } catch (IOException e) {
            System.err.println("soak: no live heap figure: " + e.getMessage());
            return Double.NaN;
        }
    }

    private static Sample progress(Sample sample) {
        System.err.printf("soak: %4d s %-20s server RSS %6.1f MiB, CLI RSS %7.1f MiB, %d claude, %d threads, %d fds%n",
                sample.seconds(), sample.phase(), sample.serverRssMiB(), sample.cliRssMiB(), sample.claudeProcesses(),
                sample.threads(), sample.openFiles());
        return sample;
    }

    private static long nextTick(long elapsed) {
        return (elapsed / SAMPLE_EVERY.toNanos() + 1) * SAMPLE_EVERY.toNanos();
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    /**
     * Stops the server (it stops its CLIs itself) and returns how many of its {@code claude} processes outlived it;
     * those are killed, so a soak never leaves one behind.
     */
    private static long stop(ServerProcess server) {
        List<ProcessHandle> claudes = server.claudeProcesses();
        try {
            server.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (claudes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ProcessHandle> left = claudes.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        return left.size();
    }
}
