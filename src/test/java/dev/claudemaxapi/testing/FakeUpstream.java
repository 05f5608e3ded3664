package dev.claudemaxapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An Anthropic Messages API stand-in on a loopback port, for the CLI to call: it captures every request and answers
 * as scripted ({@link UpstreamReply}), streaming SSE like the real API (or JSON when the request has
 * {@code stream:false}, as the CLI's non-streaming fallback does). A reply comes from, in this order: the
 * {@link #enqueue} script, the {@link #route} chooser, the {@link #always} fallback.
 */
public final class FakeUpstream implements AutoCloseable {

    /** One captured request. {@code headers} keys are lower case. */
    public record Captured(String method, String pathAndQuery, Map<String, String> headers, JsonNode body) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final BlockingQueue<Captured> captured = new LinkedBlockingQueue<>();
    private final List<Captured> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<UpstreamReply> script = new ConcurrentLinkedQueue<>();
    private volatile UpstreamReply fallback = UpstreamReply.text("Hello from the fake upstream");
    private volatile Function<JsonNode, UpstreamReply> router = request -> null;
    private volatile boolean keepRequests = true;
    private final AtomicInteger messageIds = new AtomicInteger();
    /** Each tool call gets its own id, as the real API gives them: toolu_fake_1, toolu_fake_2, ... */
    private final AtomicInteger toolIds = new AtomicInteger();
    private final CountDownLatch hangReleased = new CountDownLatch(1);
    private final AtomicInteger openHangs = new AtomicInteger();

    public FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The reply for requests that no {@link #enqueue} covers. */
    public FakeUpstream always(UpstreamReply reply) {
        fallback = reply;
        return this;
    }

    /** Replies used once each, in order, before {@link #always}'s. */
    public FakeUpstream enqueue(UpstreamReply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /**
     * Chooses the reply from the request body itself, for requests no {@link #enqueue} covers; when it returns
     * null, {@link #always}'s reply is used. Lets many concurrent clients each get the reply their prompt asks for.
     */
    public FakeUpstream route(Function<JsonNode, UpstreamReply> chooser) {
        router = chooser;
        return this;
    }

    /**
     * Whether requests are kept for {@link #awaitRequest} and {@link #requests} (default true). A long run of
     * thousands of requests turns it off, so the harness's own memory does not grow with every request.
     */
    public FakeUpstream keepRequests(boolean keep) {
        keepRequests = keep;
        return this;
    }

    /** The next captured {@code /v1/messages} request, waiting up to {@code timeout}. */
    public Captured awaitRequest(Duration timeout) throws InterruptedException {
        Captured next = captured.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("the upstream got no request within " + timeout);
        }
        return next;
    }

    /**
     * Headers every later response carries, as the real API adds {@code anthropic-ratelimit-unified-*} to each
     * answer of a subscription; an empty map stops them.
     */
    public void responseHeaders(Map<String, String> headers) {
        extraHeaders = Map.copyOf(headers);
    }

    public List<Captured> requests() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** How many {@link UpstreamReply.Hang} answers are still holding their connection. */
    public int openHangs() {
        return openHangs.get();
    }

    private volatile Map<String, String> extraHeaders = Map.of();

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            JsonNode body = raw.length == 0 ? json.nullNode() : json.readTree(raw);
            String path = exchange.getRequestURI().toString();
            Captured request = new Captured(exchange.getRequestMethod(), path, headers, body);
            if (!exchange.getRequestURI().getPath().equals("/v1/messages") || !"POST".equals(request.method())) {
                send(exchange, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no\"}}");
                return;
            }
            if (keepRequests) {
                all.add(request);
                captured.add(request);
            }
            extraHeaders.forEach(exchange.getResponseHeaders()::set);
            UpstreamReply reply = script.poll();
            if (reply == null) {
                reply = router.apply(body);
            }
            answer(exchange, body, reply == null ? fallback : reply);
        } catch (IOException e) {
            // the CLI hung up (a killed process, a stream we were told to hang): nothing to answer
        }
    }

    private void answer(HttpExchange exchange, JsonNode request, UpstreamReply reply) throws IOException {
        String model = request.path("model").asText("claude-test");
        boolean stream = request.path("stream").asBoolean(false);
        switch (reply) {
            case UpstreamReply.Error error -> {
                if (error.retryAfterSeconds() != null) {
                    exchange.getResponseHeaders().set("retry-after", error.retryAfterSeconds().toString());
                }
                ObjectNode body = json.createObjectNode().put("type", "error");
                body.putObject("error").put("type", error.type()).put("message", error.message());
                send(exchange, error.status(), body.toString());
            }
            case UpstreamReply.Text text -> blocks(exchange, stream, model, text.inputTokens(), text.outputTokens(),
                    List.of(block("text", text.text())), text.chunks(), text.delayPerChunk());
            case UpstreamReply.MaxTokens cut -> blocks(exchange, stream, model, 21,
                    request.path("max_tokens").asLong(1), List.of(block("text", cut.text())), 3, Duration.ZERO,
                    "max_tokens");
            case UpstreamReply.Echo ignored -> blocks(exchange, stream, model, 11, 5,
                    List.of(block("text", lastUserText(request))), 2, Duration.ZERO);
            case UpstreamReply.ThinkingThenText both -> blocks(exchange, stream, model, 30, 12,
                    List.of(block("thinking", both.thinking()), block("text", both.text())), 2, Duration.ZERO);
            case UpstreamReply.ToolUse use -> toolUses(exchange, model, List.of(use));
            case UpstreamReply.ToolUses uses -> toolUses(exchange, model, uses.calls());
            case UpstreamReply.Truncated truncated -> {
                if (!stream) {
                    blocks(exchange, false, model, 21, 7, List.of(block("text", truncated.text())), 1, Duration.ZERO);
                    return;
                }
                OutputStream out = startSse(exchange);
                event(out, "message_start", messageStart(model, 21));
                event(out, "content_block_start", blockStart(0, "text"));
                event(out, "content_block_delta", delta(0, "text", truncated.text().substring(0, 4)));
                // leave without message_stop: the connection closes mid-stream
            }
            case UpstreamReply.StreamError failing -> {
                if (!stream) {
                    blocks(exchange, false, model, 21, 7, List.of(block("text", failing.text())), 1, Duration.ZERO);
                    return;
                }
                OutputStream out = startSse(exchange);
                event(out, "message_start", messageStart(model, 21));
                event(out, "content_block_start", blockStart(0, "text"));
                event(out, "content_block_delta", delta(0, "text", failing.text().substring(0, 4)));
                event(out, "error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}");
            }
            case UpstreamReply.Hang ignored -> {
                OutputStream out = startSse(exchange);
                event(out, "message_start", messageStart(model, 21));
                openHangs.incrementAndGet();
                try {
                    // Probe the connection so a client that went away ends this hang.
                    while (!hangReleased.await(100, TimeUnit.MILLISECONDS)) {
                        event(out, "ping", "{\"type\":\"ping\"}");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    openHangs.decrementAndGet();
                }
            }
        }
    }

    private record Block(String type, String text) {}

    private static Block block(String type, String text) {
        return new Block(type, text);
    }

    private void blocks(HttpExchange exchange, boolean stream, String model, long inputTokens, long outputTokens,
            List<Block> blocks, int chunks, Duration delay) throws IOException {
        blocks(exchange, stream, model, inputTokens, outputTokens, blocks, chunks, delay, "end_turn");
    }

    private void blocks(HttpExchange exchange, boolean stream, String model, long inputTokens, long outputTokens,
            List<Block> blocks, int chunks, Duration delay, String stopReason) throws IOException {
        String id = "msg_fake_" + messageIds.incrementAndGet();
        if (!stream) {
            ObjectNode message = message(id, model, inputTokens, outputTokens);
            ArrayNode content = message.putArray("content");
            for (Block block : blocks) {
                ObjectNode node = content.addObject().put("type", block.type()).put(block.type(), block.text());
                if (block.type().equals("thinking")) {
                    node.put("signature", "sig");
                }
            }
            message.put("stop_reason", stopReason);
            send(exchange, 200, message.toString());
            return;
        }
        OutputStream out = startSse(exchange);
        event(out, "message_start", messageStartWithId(id, model, inputTokens));
        for (int index = 0; index < blocks.size(); index++) {
            Block block = blocks.get(index);
            event(out, "content_block_start", blockStart(index, block.type()));
            if (index == 0) {
                event(out, "ping", "{\"type\":\"ping\"}");
            }
            for (String part : UpstreamReply.split(block.text(), chunks)) {
                pause(delay);
                event(out, "content_block_delta", delta(index, block.type(), part));
            }
            if (block.type().equals("thinking")) {
                event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                        + ",\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}");
            }
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
        }
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    /** Tool calls are always streamed: the CLI asks for a stream and its non-streaming fallback is not exercised. */
    private void toolUses(HttpExchange exchange, String model, List<UpstreamReply.ToolUse> uses) throws IOException {
        String id = "msg_fake_" + messageIds.incrementAndGet();
        OutputStream out = startSse(exchange);
        event(out, "message_start", messageStartWithId(id, model, 40));
        for (int index = 0; index < uses.size(); index++) {
            UpstreamReply.ToolUse use = uses.get(index);
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
                    + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_fake_" + toolIds.incrementAndGet()
                    + "\",\"name\":\"" + use.name() + "\",\"input\":{}}}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":" + json.writeValueAsString(use.inputJson())
                    + "}}");
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
        }
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    private ObjectNode message(String id, String model, long inputTokens, long outputTokens) {
        ObjectNode message = json.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", outputTokens)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
        return message;
    }

    private String messageStart(String model, long inputTokens) {
        return messageStartWithId("msg_fake_" + messageIds.incrementAndGet(), model, inputTokens);
    }

    private String messageStartWithId(String id, String model, long inputTokens) {
        ObjectNode event = json.createObjectNode().put("type", "message_start");
        event.set("message", message(id, model, inputTokens, 1));
        return event.toString();
    }

    private static String blockStart(int index, String type) {
        String empty = type.equals("thinking") ? "\"thinking\":\"\",\"signature\":\"\"" : "\"text\":\"\"";
        return "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":{\"type\":\"" + type
                + "\"," + empty + "}}";
    }

    private String delta(int index, String type, String text) throws IOException {
        String deltaType = type.equals("thinking") ? "thinking_delta" : "text_delta";
        return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"" + deltaType
                + "\",\"" + type + "\":" + json.writeValueAsString(text) + "}}";
    }

    /**
     * The upstream name of the offered client tool whose own name is {@code clientName}: the proxy's CLI offers it as
     * {@code mcp__<server>__<name>}. Empty when the request does not offer it.
     */
    public static Optional<String> offeredTool(JsonNode request, String clientName) {
        for (JsonNode tool : request.path("tools")) {
            if (tool.path("name").asText().endsWith("__" + clientName)) {
                return Optional.of(tool.path("name").asText());
            }
        }
        return Optional.empty();
    }

    /** The text blocks of the request's last user message, joined by " | " (what {@link UpstreamReply.Echo} says). */
    public static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                return content.asText();
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode block : content) {
                if ("text".equals(block.path("type").asText())) {
                    texts.add(block.path("text").asText());
                }
            }
            return String.join(" | ", texts);
        }
        return "";
    }

    private static OutputStream startSse(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("request-id", "req_fake");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("request-id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void pause(Duration delay) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        hangReleased.countDown();
        server.stop(0);
    }
}
