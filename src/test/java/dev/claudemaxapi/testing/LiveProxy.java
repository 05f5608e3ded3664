package dev.claudemaxapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.engine.CliEngine;
import dev.claudemaxapi.engine.cli.CliEnvironment;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.http.HttpSettings;
import dev.claudemaxapi.http.ProxyServer;
import dev.claudemaxapi.store.Database;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoreSettings;
import dev.claudemaxapi.store.UsageStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole server with the real pinned CLI, wired as {@code Main} wires it, against a {@link FakeUpstream}. */
public final class LiveProxy implements AutoCloseable {
    public final FakeUpstream upstream;
    public final Path home;
    private final CliEngine engine;
    private final ProxyServer server;
    private final Database database;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private LiveProxy(FakeUpstream upstream, Path home, CliEngine engine, ProxyServer server, Database database) {
        this.upstream = upstream;
        this.home = home;
        this.engine = engine;
        this.server = server;
        this.database = database;
    }

    /**
     * The pool the end-to-end tier runs with: the server's default unless {@code -Dproxy.pool.size=0} (a
     * fresh CLI per request), so the whole tier can run both ways.
     */
    public static PoolSettings defaultPool() {
        int size = Integer.getInteger("proxy.pool.size", 6);
        return size == 0 ? PoolSettings.off()
                : new PoolSettings(size, Math.min(2, size), Duration.ofMinutes(10), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.REWIND, PoolSettings.DEFAULT_TOOL_WAIT);
    }

    public static LiveProxy start(Path scratch) throws IOException {
        return start(scratch, 4, Duration.ofSeconds(60), defaultPool());
    }

    public static LiveProxy start(Path scratch, int maxConcurrent, Duration stallTimeout) throws IOException {
        return start(scratch, maxConcurrent, stallTimeout, defaultPool());
    }

    public static LiveProxy start(Path scratch, int maxConcurrent, Duration stallTimeout, PoolSettings pool)
            throws IOException {
        Path cli = RealCli.require();
        FakeUpstream upstream = new FakeUpstream();
        Map<String, String> env = CliEnvironment.from(RealCli.environment(upstream, scratch));
        Path workDir = Files.createDirectories(scratch.resolve("work"));
        ObjectMapper json = Json.mapper();
        Admission admission = new Admission(maxConcurrent, 16, Duration.ofSeconds(1));
        PlanLimits plan = new PlanLimits(Clock.systemUTC());
        CliEngine engine = new CliEngine(new CliSettings(cli.toString(), workDir, env, stallTimeout, "", false),
                RealCli.PINNED_VERSION, json, pool, admission::isFull, Clock.systemUTC(), plan);
        HttpSettings http = new HttpSettings(new InetSocketAddress("127.0.0.1", 0), List.of(), Set.of(),
                32L * 1024 * 1024, Duration.ofMillis(200), Duration.ofSeconds(10));
        // the database lives in the scratch directory, so a proxy started again on it finds what the last one stored
        Database database = Database.open(scratch.resolve("data").resolve("claude-max-api.db"));
        ProxyServer server = ProxyServer.start(http, new ProxyServer.Services(engine, admission,
                new ModelCatalog(Map.of()), new ResponseStore(database, Clock.systemUTC(),
                        StoreSettings.DEFAULT_RESPONSE_TTL, StoreSettings.DEFAULT_MAX_RESPONSE_MB << 20),
                new UsageStore(database, Clock.systemUTC(), StoreSettings.DEFAULT_USAGE_RETENTION), plan), json,
                Clock.systemUTC());
        return new LiveProxy(upstream, scratch.resolve("home"), engine, server, database);
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.address().getPort();
    }

    public int port() {
        return server.address().getPort();
    }

    /** GETs a path and returns the raw response, whatever its status. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body and returns the raw response, whatever its status. */
    public HttpResponse<String> send(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body that must be answered with a 200, and returns the answer's JSON. */
    public JsonNode post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = send(path, json);
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200 from " + path + " but got " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** CLI processes the engine still tracks: answering, idle in the pool, or exiting. */
    public long cliProcesses() {
        return stat("processes");
    }

    /** Processes neither warm nor holding a live conversation: answering, or on their way out. */
    public long busyProcesses() {
        return stat("processes") - stat("warm") - stat("live_conversations");
    }

    /** An engine counter as {@code /health} shows it; 0 when the pool is off and lacks it. */
    public long stat(String name) {
        return engine.info().stats().getOrDefault(name, 0L);
    }

    public boolean poolEnabled() {
        return stat("pool_size") > 0;
    }

    /** Live {@code claude} processes started by this JVM, wherever they are in the tree. */
    public static long claudeDescendants() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("claude")).orElse(false))
                .count();
    }

    private boolean closed;

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(Duration.ZERO);
        engine.close();
        upstream.close();
        database.close();
    }
}
