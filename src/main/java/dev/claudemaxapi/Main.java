package dev.claudemaxapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.engine.CliEngine;
import dev.claudemaxapi.engine.cli.CliEnvironment;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.cli.CliVersionProbe;
import dev.claudemaxapi.http.ProxyServer;
import dev.claudemaxapi.store.Database;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoreException;
import dev.claudemaxapi.store.UsageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;
import picocli.CommandLine;
import sun.misc.Signal;

/** Reads the command line, checks the CLI, wires the server together and runs it until SIGTERM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        // Before anything touches java.util.logging, so the log outlives the JDK's own shutdown hook.
        System.setProperty("java.util.logging.manager", ServerLogManager.class.getName());
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(args, System.getenv());
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            e.getCommandLine().usage(System.err);
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("claude-max-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        CommandLine commandLine = loaded.commandLine();
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(System.out);
            return;
        }
        if (loaded.options().printConfig) {
            System.out.print(ConfigLoader.describe(loaded));
            return;
        }
        ProxyConfig config = loaded.config();
        LogSetup.configure(config.logLevel(), config.logFormat());
        System.exit(run(config, () -> ConfigLoader.load(args, System.getenv()).config()));
    }

    static int run(ProxyConfig config) throws IOException, InterruptedException {
        return run(config, () -> config);
    }

    /** @param reread the configuration read again from its sources, for a SIGHUP */
    static int run(ProxyConfig config, Supplier<ProxyConfig> reread) throws IOException, InterruptedException {
        Logger log = Logger.getLogger(Main.class.getName());
        Map<String, String> cliEnvironment = CliEnvironment.from(System.getenv());
        String version;
        try {
            version = CliVersionProbe.version(config.claudeBin(), cliEnvironment, Duration.ofSeconds(60));
        } catch (CliVersionProbe.CliMissing e) {
            System.err.println("claude-max-api: " + e.getMessage());
            return 1;
        }
        log.info(() -> "Claude Code CLI: " + config.claudeBin() + " (" + version + ")");

        ObjectMapper json = Json.mapper();
        Admission admission = new Admission(config.maxConcurrent(), config.maxQueue(), Duration.ofSeconds(5));
        Database database;
        try {
            database = Database.open(config.store().databaseFile());
        } catch (StoreException e) {
            System.err.println("claude-max-api: " + e.getMessage());
            return 1;
        }
        log.info(() -> "database (stored responses, usage history): " + config.store().databaseFile());
        ResponseStore responses = new ResponseStore(database, Clock.systemUTC(), config.store().responseTtl(),
                config.store().maxResponseBytes());
        responses.purge();
        Path workDir = config.cwd().isPresent() ? config.cwd().get() : privateWorkDir();
        PlanLimits plan = new PlanLimits(Clock.systemUTC());
        CliEngine engine = new CliEngine(new CliSettings(config.claudeBin(), workDir, cliEnvironment,
                config.stallTimeout(), config.cliTools(), config.useClaudeSettings()), version, json, config.pool(),
                admission::isFull, Clock.systemUTC(), plan);
        UsageStore usage = new UsageStore(database, Clock.systemUTC(), config.store().usageRetention());
        usage.purge();
        ProxyServer server = ProxyServer.start(config.http(), new ProxyServer.Services(engine, admission,
                new ModelCatalog(config.modelAliases()), responses, usage, plan), json, Clock.systemUTC());
        log.info(() -> "listening on http://" + server.address().getHostString() + ":" + server.address().getPort()
                + (config.http().apiKeys().isEmpty() ? "" : " (API key required)"));

        reloadOnHangup(server, reread, log);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: letting requests in flight finish for up to "
                    + config.shutdownGrace().toSeconds() + " s");
            server.stop(config.shutdownGrace());
            engine.close();
            database.close();
            if (config.cwd().isEmpty()) {
                deleteQuietly(workDir);
            }
            log.info("claude-max-api stopped");
            ServerLogManager.finishLogging();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * SIGHUP reads the configuration again and takes its API keys and model aliases, without a restart and without
     * touching requests in flight; other settings need a restart. A configuration that does not load keeps the old.
     */
    private static void reloadOnHangup(ProxyServer server, Supplier<ProxyConfig> reread, Logger log) {
        ReentrantLock oneAtATime = new ReentrantLock();
        try {
            Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().name("reload").start(() -> {
                // two signals in a row: the second reload waits, so keys and aliases always come from one reading
                oneAtATime.lock();
                try {
                    ProxyConfig fresh = reread.get();
                    if (fresh.http().apiKeys().isEmpty() && server.needsKeys()) {
                        log.warning("the reloaded configuration has no API keys: the server now answers anyone who "
                                + "can reach it");
                    }
                    server.reload(fresh.http().apiKeys(), fresh.modelAliases());
                    log.info(() -> "configuration reloaded: " + fresh.http().apiKeys().size() + " API keys, "
                            + fresh.modelAliases().size() + " model aliases (other settings need a restart)");
                } catch (RuntimeException e) {
                    log.warning(() -> "configuration not reloaded, the old one stays: " + e.getMessage());
                } finally {
                    oneAtATime.unlock();
                }
            }));
        } catch (IllegalArgumentException unsupported) {
            log.fine("SIGHUP cannot be handled on this platform; reload by restarting");
        }
    }

    /** An empty directory only this user can read, so the CLI finds no project files, CLAUDE.md or git repo. */
    private static Path privateWorkDir() throws IOException {
        return Files.createTempDirectory("claude-max-api-");
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover empty temp directory is harmless
        }
    }
}
