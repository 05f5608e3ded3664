package dev.claudemaxapi.bench;

import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.http.HttpSettings;
import dev.claudemaxapi.http.ProxyServer;
import dev.claudemaxapi.store.Database;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoreSettings;
import dev.claudemaxapi.store.UsageStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real HTTP server over a {@link ZeroCostEngine}: what the benchmark uses to measure the proxy alone, in its own
 * process too ({@link #main}), so that JVM settings can be compared on the proxy's own work.
 */
final class OverheadServer {
    private OverheadServer() {}

    /**
     * Serves on {@code args[0]} with the instant engine until the process is stopped; logs warnings only, as the
     * benchmark runs the real server.
     */
    public static void main(String[] args) throws Exception {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
        start(ZeroCostEngine.instant(), Integer.parseInt(args[0]), 64, 64);
        Thread.currentThread().join();
    }

    static ProxyServer start(ZeroCostEngine engine, int port, int concurrent, int queue) throws IOException {
        // 1000 streams at once are measured: the connection cap is set above that, as an operator would with
        // --max-connections
        HttpSettings http = new HttpSettings(new InetSocketAddress("127.0.0.1", port), List.of(), Set.of(),
                1024 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(10),
                new HttpSettings.Limits(Duration.ofSeconds(30), Duration.ofSeconds(60), 4096));
        // the HTTP-layer measures store no responses: an in-memory database, closed with the JVM
        Database database = Database.inMemory();
        ResponseStore responses = new ResponseStore(database, Clock.systemUTC(),
                StoreSettings.DEFAULT_RESPONSE_TTL, StoreSettings.DEFAULT_MAX_RESPONSE_MB << 20);
        return ProxyServer.start(http, new ProxyServer.Services(engine,
                new Admission(concurrent, queue, Duration.ofSeconds(1)), new ModelCatalog(Map.of()), responses,
                new UsageStore(database, Clock.systemUTC(), StoreSettings.DEFAULT_USAGE_RETENTION),
                new PlanLimits(Clock.systemUTC())), Json.mapper(), Clock.systemUTC());
    }
}
