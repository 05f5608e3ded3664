package dev.claudemaxapi.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder;
import dev.claudemaxapi.api.anthropic.MessagesResponseEncoder;
import dev.claudemaxapi.api.openai.ChatRequestDecoder;
import dev.claudemaxapi.api.openai.ChatResponseEncoder;
import dev.claudemaxapi.api.openai.CompletionsRequestDecoder;
import dev.claudemaxapi.api.openai.CompletionsResponseEncoder;
import dev.claudemaxapi.api.openai.ResponsesEncoder;
import dev.claudemaxapi.api.openai.ResponsesRequestDecoder;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.UsageStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The HTTP server: the JDK's, one virtual thread per exchange, every path through {@link ProxyHandler}. */
public final class ProxyServer implements AutoCloseable {
    static {
        // Every SSE event is a small write; without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold
        // each one back by ~40 ms. The JDK server reads this property once, before its first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    /** How long before the end of the grace period answers are cut, so their last event still reaches clients. */
    private static final Duration CUT_MARGIN = Duration.ofSeconds(3);
    private final HttpServer server;
    private final ProxyHandler handler;
    private final ModelCatalog catalog;
    private final ExecutorService executor;
    private final WriteTimeout writeTimeout;
    private final Shutdown shutdown;

    private ProxyServer(HttpServer server, ProxyHandler handler, ModelCatalog catalog, ExecutorService executor,
            WriteTimeout writeTimeout, Shutdown shutdown) {
        this.server = server;
        this.handler = handler;
        this.catalog = catalog;
        this.executor = executor;
        this.writeTimeout = writeTimeout;
        this.shutdown = shutdown;
    }

    /**
     * What the routes serve from: the engine and its admission, the model names, and the database's stores.
     *
     * @param usage where every answer request's usage is written
     * @param plan  the plan's usage windows as the CLI last reported them
     */
    public record Services(Engine engine, Admission admission, ModelCatalog catalog, ResponseStore responses,
            UsageStore usage, PlanLimits plan) {}

    public static ProxyServer start(HttpSettings settings, Services services, ObjectMapper json, Clock clock)
            throws IOException {
        Engine engine = services.engine();
        Admission admission = services.admission();
        ModelCatalog catalog = services.catalog();
        ResponseStore responses = services.responses();
        Shutdown shutdown = new Shutdown();
        AnswerRunner runner = new AnswerRunner(engine, admission, settings.heartbeat(), settings.firstEventWait(),
                shutdown, services.plan());
        MessagesRequestDecoder messagesDecoder = new MessagesRequestDecoder(json, catalog);
        MessagesResponseEncoder messagesEncoder = new MessagesResponseEncoder(json);
        ChatResponseEncoder chatEncoder = new ChatResponseEncoder(json, clock);
        ModelsRoute models = new ModelsRoute(json, catalog);
        ResponsesEncoder responsesEncoder = new ResponsesEncoder(json, clock, responses);
        ServerMetrics metrics = new ServerMetrics(engine, admission, services.plan(), catalog);
        RecentRequests recent = new RecentRequests(clock);
        StatusRoute status = new StatusRoute(json, recent, engine, admission, services.plan());
        StoredResponsesRoute stored = new StoredResponsesRoute(responses, responsesEncoder);
        Router router = new Router()
                .add("GET", "/", status::page)
                .add("GET", "/status/app.js", status::script)
                .add("GET", "/status/app.css", status::style)
                .add("GET", "/status/requests", status::requests)
                .add("GET", "/health", new HealthRoute(json, engine, admission, services.plan(), clock))
                .add("GET", "/usage", new UsageRoute(json, services.usage(), clock))
                .add("GET", "/metrics", call -> call.send(200, metrics.contentType(), metrics.scrape()))
                .add("GET", "/v1/models", models::list)
                .add("GET", "/v1/models/{id}", models::one)
                .add("POST", "/v1/chat/completions", new AnswerRoute(
                        new AnswerCodec.ChatCompletions(new ChatRequestDecoder(json, catalog), chatEncoder), runner))
                .add("POST", "/v1/completions", new AnswerRoute(new AnswerCodec.TextCompletions(
                        new CompletionsRequestDecoder(json, catalog), new CompletionsResponseEncoder(json, clock)),
                        runner))
                .add("POST", "/v1/responses", new AnswerRoute(new AnswerCodec.Responses(
                        new ResponsesRequestDecoder(json, catalog, responses), responsesEncoder), runner))
                .add("GET", "/v1/responses/{id}", stored::get)
                .add("DELETE", "/v1/responses/{id}", stored::delete)
                .add("POST", "/v1/messages", new AnswerRoute(
                        new AnswerCodec.Messages(messagesDecoder, messagesEncoder), runner))
                .add("POST", "/v1/messages/count_tokens", new CountTokensRoute(messagesDecoder, messagesEncoder))
                // Claude Code, pointed here with ANTHROPIC_BASE_URL, checks that the server is up this way
                .add("HEAD", "/api/hello", call -> call.sendEmpty(200));

        JdkServerLimits.apply(settings.limits());
        HttpServer server = HttpServer.create(settings.listen(), 256);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        WriteTimeout writeTimeout = new WriteTimeout(settings.limits().writeTimeout());
        server.setExecutor(executor);
        ProxyHandler handler = new ProxyHandler(settings, router, json, BodyBudget.forThisJvm(), writeTimeout,
                services.usage(), services.plan(), metrics, recent, clock);
        server.createContext("/", handler);
        server.start();
        return new ProxyServer(server, handler, catalog, executor, writeTimeout, shutdown);
    }

    /**
     * Takes new API keys and model aliases (the operator reloaded the configuration): requests in flight finish with
     * what they started with; the next ones see the new.
     */
    public void reload(List<ApiKey> apiKeys, Map<String, String> modelAliases) {
        handler.replaceKeys(apiKeys);
        catalog.replaceAliases(modelAliases);
    }

    /** Whether clients must present an API key now. */
    public boolean needsKeys() {
        return handler.needsKeys();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops accepting and lets exchanges in flight finish for up to {@code grace}. Shortly before it ends, answers
     * still running are cut in their own protocol (see {@link Shutdown}); then the remaining connections are closed.
     */
    public void stop(Duration grace) {
        Duration beforeEnd = grace.dividedBy(2).compareTo(CUT_MARGIN) < 0 ? grace.dividedBy(2) : CUT_MARGIN;
        Thread cutter = Thread.ofVirtual().name("shutdown-cut").start(() -> {
            try {
                Thread.sleep(grace.minus(beforeEnd));
                shutdown.cutAnswers();
            } catch (InterruptedException done) {
                // every exchange finished before the cut was due
            }
        });
        server.stop((int) Math.max(0, grace.toSeconds()));
        cutter.interrupt();
        executor.shutdownNow();
        writeTimeout.close();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
