package dev.claudemaxapi.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder;
import dev.claudemaxapi.api.anthropic.MessagesResponseEncoder;
import dev.claudemaxapi.api.openai.ChatRequestDecoder;
import dev.claudemaxapi.api.openai.ChatResponseEncoder;
import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.ModelCatalog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The HTTP server: the JDK's, one virtual thread per exchange, every path through {@link ProxyHandler}. */
public final class ProxyServer implements AutoCloseable {
    static {
        // Every SSE event is a small write; without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold
        // each one back by ~40 ms. The JDK server reads this property once, before its first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    private final HttpServer server;
    private final ExecutorService executor;

    private ProxyServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ProxyServer start(HttpSettings settings, Engine engine, Admission admission, ModelCatalog catalog,
            ObjectMapper json, Clock clock) throws IOException {
        AnswerRunner runner = new AnswerRunner(engine, admission, settings.heartbeat(), settings.firstEventWait());
        MessagesRequestDecoder messagesDecoder = new MessagesRequestDecoder(json, catalog);
        MessagesResponseEncoder messagesEncoder = new MessagesResponseEncoder(json);
        ChatResponseEncoder chatEncoder = new ChatResponseEncoder(json, clock);
        ModelsRoute models = new ModelsRoute(json, catalog);
        Router router = new Router()
                .add("GET", "/health", new HealthRoute(json, engine, admission, clock))
                .add("GET", "/v1/models", models::list)
                .add("GET", "/v1/models/{id}", models::one)
                .add("POST", "/v1/chat/completions",
                        new ChatCompletionsRoute(new ChatRequestDecoder(json, catalog), chatEncoder, runner))
                .add("POST", "/v1/messages", new MessagesRoute(messagesDecoder, messagesEncoder, runner))
                .add("POST", "/v1/messages/count_tokens", new CountTokensRoute(messagesDecoder, messagesEncoder));

        HttpServer server = HttpServer.create(settings.listen(), 256);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", new ProxyHandler(settings, router, json));
        server.start();
        return new ProxyServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting, lets exchanges in flight finish for up to {@code grace}, then closes the rest. */
    public void stop(Duration grace) {
        server.stop((int) Math.max(0, grace.toSeconds()));
        executor.shutdownNow();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
