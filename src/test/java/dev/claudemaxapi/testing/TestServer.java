package dev.claudemaxapi.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.http.ApiKey;
import dev.claudemaxapi.http.HttpSettings;
import dev.claudemaxapi.http.ProxyServer;
import dev.claudemaxapi.store.Database;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoreSettings;
import dev.claudemaxapi.store.UsageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The real {@link ProxyServer} on 127.0.0.1, port 0, wired with whatever engine a test gives it, plus an HTTP/1.1
 * client pointed at it. Close it in {@code @AfterEach}.
 */
public final class TestServer implements AutoCloseable {
    /** How long any single request or raw read may take before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ProxyServer server;
    private final ScriptedEngine engine;
    private final Database database;
    private final HttpClient client;

    private TestServer(ProxyServer server, ScriptedEngine engine, Database database) {
        this.server = server;
        this.engine = engine;
        this.database = database;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    public static Builder with(ScriptedEngine engine) {
        return new Builder(engine);
    }

    /** Settings a test may change; the defaults are quick heartbeats and a generous wait for the first event. */
    public static final class Builder {
        private final ScriptedEngine engine;
        private List<ApiKey> apiKeys = List.of();
        private Set<String> corsOrigins = Set.of();
        private long maxBodyBytes = 1024 * 1024;
        private Duration heartbeat = Duration.ofMillis(50);
        private Duration firstEventWait = Duration.ofSeconds(5);
        private Admission admission = new Admission(4, 4, Duration.ofSeconds(5));
        private ModelCatalog catalog = new ModelCatalog(Map.of());
        private Clock clock = new TestClock();
        private HttpSettings.Limits limits = HttpSettings.Limits.DEFAULTS;
        private PlanLimits plan;
        private Optional<String> metricsKey = Optional.empty();

        private Builder(ScriptedEngine engine) {
            this.engine = engine;
        }

        /** Keys named {@code key-1}, {@code key-2}... as the command line names them. */
        public Builder apiKeys(String... keys) {
            List<ApiKey> named = new ArrayList<>();
            for (String key : keys) {
                named.add(ApiKey.unnamed(named.size() + 1, key));
            }
            this.apiKeys = List.copyOf(named);
            return this;
        }

        public Builder namedApiKeys(ApiKey... keys) {
            this.apiKeys = List.of(keys);
            return this;
        }

        public Builder corsOrigins(String... origins) {
            this.corsOrigins = Set.of(origins);
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder heartbeat(Duration every) {
            this.heartbeat = every;
            return this;
        }

        public Builder firstEventWait(Duration wait) {
            this.firstEventWait = wait;
            return this;
        }

        public Builder admission(Admission value) {
            this.admission = value;
            return this;
        }

        public Builder catalog(ModelCatalog value) {
            this.catalog = value;
            return this;
        }

        public Builder limits(HttpSettings.Limits value) {
            this.limits = value;
            return this;
        }

        public Builder metricsKey(String key) {
            this.metricsKey = Optional.of(key);
            return this;
        }

        /** The plan's windows the server reads; by default an empty one on the server's clock. */
        public Builder plan(PlanLimits value) {
            this.plan = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public TestServer start() {
            HttpSettings settings = new HttpSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    apiKeys, corsOrigins, maxBodyBytes, heartbeat, firstEventWait, limits, metricsKey);
            ObjectMapper json = Json.mapper();
            PlanLimits plan = this.plan != null ? this.plan : new PlanLimits(clock);
            Database database = Database.inMemory();
            ResponseStore responses = new ResponseStore(database, clock, StoreSettings.DEFAULT_RESPONSE_TTL,
                    StoreSettings.DEFAULT_MAX_RESPONSE_MB << 20);
            try {
                return new TestServer(ProxyServer.start(settings, new ProxyServer.Services(engine, admission, catalog,
                        responses, new UsageStore(database, clock, StoreSettings.DEFAULT_USAGE_RETENTION), plan), json,
                        clock),
                        engine, database);
            } catch (IOException e) {
                database.close();
                throw new UncheckedIOException(e);
            }
        }
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public int port() {
        return server.address().getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A request builder for {@code pathAndQuery} with {@code headers} given as name, value pairs. */
    public HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) {
        return send(request(pathAndQuery, headers).GET().build());
    }

    public HttpResponse<String> post(String pathAndQuery, String json, String... headers) {
        return send(request(pathAndQuery, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public HttpClient client() {
        return client;
    }

    /** A plain socket to the server, for custom Host headers, chunk-by-chunk reads and hang-ups. */
    public RawHttp raw() throws IOException {
        return raw(TIMEOUT);
    }

    /** A plain socket whose reads fail after {@code readTimeout}. */
    public RawHttp raw(Duration readTimeout) throws IOException {
        return RawHttp.connect(address(), readTimeout);
    }

    /** Opens a connection and sends a JSON POST on it; the caller reads the response as it comes. */
    public RawHttp openPost(String path, String json, String... extraHeaderLines) throws IOException {
        RawHttp raw = raw();
        List<String> head = new ArrayList<>(List.of("POST " + path + " HTTP/1.1",
                "Host: 127.0.0.1:" + port(), "Content-Type: application/json",
                "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length));
        head.addAll(List.of(extraHeaderLines));
        raw.send(head, json);
        return raw;
    }

    /** Sends one request over a new connection ({@code Connection: close} is added) and reads the response. */
    public RawHttp.Response rawExchange(List<String> head, String body) throws IOException {
        try (RawHttp raw = raw()) {
            List<String> lines = new ArrayList<>(head);
            lines.add("Connection: close");
            raw.send(lines, body);
            return raw.readResponse();
        }
    }

    /** Stops accepting and waits up to {@code grace} for exchanges in flight, as on SIGTERM. */
    public void stop(Duration grace) {
        server.stop(grace);
    }

    /** Stops the server and lets held answers go, so nothing outlives the test. */
    @Override
    public void close() {
        engine.release();
        server.close();
        client.close();
        database.close();
    }
}
