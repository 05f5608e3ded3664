package dev.claudemaxapi.soak;

import dev.claudemaxapi.soak.SoakUpstream.Kind;
import dev.claudemaxapi.testing.RawHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs one scenario against the server and classifies what came back. Answers that are not streamed go through
 * {@link HttpClient} (keep-alive, as SDKs do); streams through a plain socket, which can read slowly or hang up
 * mid-response. Every call has a deadline ({@link #TIMEOUT} per request or per socket read), so a stuck request
 * becomes an unexpected outcome instead of a stuck soak.
 */
final class SoakClient {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> MODELS = List.of("sonnet", "haiku");

    private record Response(int status, String body) {}

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    SoakClient(int port) {
        this.port = port;
    }

    /** @param id names the request (and its answer); unique per iteration */
    List<Outcome> run(Scenario scenario, String id, Random random) throws InterruptedException {
        Dialect dialect = random.nextBoolean() ? Dialect.OPENAI : Dialect.ANTHROPIC;
        String model = MODELS.get(random.nextInt(MODELS.size()));
        try {
            return switch (scenario) {
                case OPENAI -> List.of(answer(scenario, Dialect.OPENAI, model, false, List.of(), id));
                case OPENAI_STREAM -> List.of(answer(scenario, Dialect.OPENAI, model, true, List.of(), id));
                case ANTHROPIC -> List.of(answer(scenario, Dialect.ANTHROPIC, model, false, List.of(), id));
                case ANTHROPIC_STREAM -> List.of(answer(scenario, Dialect.ANTHROPIC, model, true, List.of(), id));
                case FOLLOW_UP -> followUp(dialect, model, id, random);
                case DISCONNECT -> List.of(disconnect(dialect, model, id, random.nextBoolean()));
                case SLOW_READER -> List.of(slowReader(dialect, model, id));
                case UPSTREAM_500 -> List.of(injectedError(scenario, dialect, model, random.nextBoolean(), id,
                        Kind.ERROR_500, 502));
                case UPSTREAM_429 -> List.of(injectedError(scenario, dialect, model, random.nextBoolean(), id,
                        Kind.ERROR_429, 429));
            };
        } catch (IOException | RuntimeException e) {
            // a timeout, a connection the server dropped, a response RawHttp cannot parse
            return List.of(Outcome.unexpected(scenario, id + ": " + e));
        }
    }

    /** A new conversation (empty {@code earlier}) or the next turn of one: the answer must be the whole text. */
    private Outcome answer(Scenario scenario, Dialect dialect, String model, boolean stream, List<String> earlier,
            String id) throws IOException, InterruptedException {
        List<String> history = new ArrayList<>(earlier);
        history.add(SoakUpstream.prompt(id, Kind.NORMAL));
        Response response = send(dialect, dialect.body(model, stream, history), stream);
        return Outcome.ofAnswer(scenario, dialect, stream, response.status(), response.body(),
                SoakUpstream.answer(id, Kind.NORMAL));
    }

    /**
     * A conversation, then the same conversation with the answer and a new message: the server continues it in
     * the live process it kept (or, if that one was evicted, statelessly); either way the answer must be right.
     */
    private List<Outcome> followUp(Dialect dialect, String model, String id, Random random)
            throws IOException, InterruptedException {
        String first = id + "a";
        Outcome opening = answer(Scenario.FOLLOW_UP, dialect, model, random.nextBoolean(), List.of(), first);
        if (!opening.expected()) {
            return List.of(opening);
        }
        List<String> earlier = List.of(SoakUpstream.prompt(first, Kind.NORMAL),
                SoakUpstream.answer(first, Kind.NORMAL));
        return List.of(opening, answer(Scenario.FOLLOW_UP, dialect, model, random.nextBoolean(), earlier, id + "b"));
    }

    /**
     * Hangs up on a slow answer, right after the response head or after the first text. The server must notice,
     * stop that CLI and carry on; the hang-up itself is expected.
     */
    private Outcome disconnect(Dialect dialect, String model, String id, boolean atOnce) throws IOException {
        String request = dialect.body(model, true, List.of(SoakUpstream.prompt(id, Kind.SLOW)));
        try (RawHttp connection = open(dialect, request)) {
            RawHttp.Head head = connection.readHead();
            if (head.status() != 200) {
                return Outcome.unexpected(Scenario.DISCONNECT, id + ": status " + head.status());
            }
            StringBuilder seen = new StringBuilder();
            while (!atOnce && !seen.toString().contains("Answer for")) {
                String chunk = connection.readChunk();
                if (chunk == null) {
                    return Outcome.unexpected(Scenario.DISCONNECT, id + ": the stream ended before the client hung up: "
                            + Outcome.excerpt(seen.toString()));
                }
                seen.append(chunk);
            }
            return Outcome.expected(Scenario.DISCONNECT, "hung up after " + seen.length() + " characters");
        }
    }

    /** Reads a ~20 KB streamed answer chunk by chunk with pauses; it must still arrive whole. */
    private Outcome slowReader(Dialect dialect, String model, String id) throws IOException, InterruptedException {
        String request = dialect.body(model, true, List.of(SoakUpstream.prompt(id, Kind.LONG)));
        try (RawHttp connection = open(dialect, request)) {
            RawHttp.Head head = connection.readHead();
            if (head.status() != 200) {
                return Outcome.unexpected(Scenario.SLOW_READER, id + ": status " + head.status());
            }
            StringBuilder body = new StringBuilder();
            for (String chunk = connection.readChunk(); chunk != null; chunk = connection.readChunk()) {
                body.append(chunk);
                Thread.sleep(40);
            }
            return Outcome.ofAnswer(Scenario.SLOW_READER, dialect, true, head.status(), body.toString(),
                    SoakUpstream.answer(id, Kind.LONG));
        }
    }

    private Outcome injectedError(Scenario scenario, Dialect dialect, String model, boolean stream, String id,
            Kind kind, int expectedStatus) throws IOException, InterruptedException {
        Response response = send(dialect, dialect.body(model, stream, List.of(SoakUpstream.prompt(id, kind))), stream);
        return Outcome.ofError(scenario, dialect, stream, expectedStatus, response.status(), response.body());
    }

    private Response send(Dialect dialect, String body, boolean stream) throws IOException, InterruptedException {
        if (stream) {
            try (RawHttp connection = open(dialect, body)) {
                RawHttp.Response response = connection.readResponse();
                return new Response(response.status(), response.body());
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + dialect.path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (dialect == Dialect.ANTHROPIC) {
            request.header("anthropic-version", "2023-06-01");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** A socket with the request sent; one request per connection, so a hang-up affects only its own request. */
    private RawHttp open(Dialect dialect, String body) throws IOException {
        RawHttp connection = RawHttp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT);
        List<String> head = new ArrayList<>(List.of("POST " + dialect.path + " HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Content-Type: application/json", "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length,
                "Connection: close"));
        if (dialect == Dialect.ANTHROPIC) {
            head.add("anthropic-version: 2023-06-01");
        }
        try {
            connection.send(head, body);
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
