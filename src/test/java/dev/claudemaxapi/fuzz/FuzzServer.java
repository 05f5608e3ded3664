package dev.claudemaxapi.fuzz;

import dev.claudemaxapi.testing.RawHttp;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server the fuzz properties run against: the real HTTP stack over a {@link ScriptedEngine} that answers
 * "Hello", a small body limit so giant bodies are quick, no API key. It counts the turns the engine was given around
 * each request and collects what the server logs as a failure (warnings, severe records, anything with a stack
 * trace) and any exception no thread caught, so a property can tell a clean refusal from a crash it answered with.
 *
 * <p>Every {@value #RESTART_AFTER_TURNS} answered turns the server is replaced by a fresh one, because the scripted
 * engine keeps every turn it was given: a long run would otherwise keep every accepted body in memory.
 */
final class FuzzServer implements AutoCloseable {
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final String HELLO = "Hello";
    private static final int RESTART_AFTER_TURNS = 64;
    private static final Logger SERVER_LOGS = Logger.getLogger("dev.claudemaxapi");
    private static final Logger REQUEST_LOG = Logger.getLogger("dev.claudemaxapi.requests");

    /**
     * One request and what came back: the status (0 when the connection ended without a response, {@code failure}
     * saying how), and how many turns the engine was given for it.
     */
    record Reply(int status, String contentType, String connection, String body, int turnsStarted, String failure,
            List<String> serverProblems) {
        Reply(int status, String contentType, String connection, String body, String failure) {
            this(status, contentType, connection, body, 0, failure, List.of());
        }

        @Override
        public String toString() {
            String problems = serverProblems.isEmpty() ? "" : "\nserver log:\n" + String.join("\n", serverProblems);
            if (status == 0) {
                return "no response (" + failure + "), turns started: " + turnsStarted + problems;
            }
            return status + " (" + contentType + (connection == null ? "" : ", Connection: " + connection)
                    + ", turns started: " + turnsStarted + ") " + OddText.show(body, 2000) + problems;
        }
    }

    /** Filled by server threads, so not guarded by this object's lock, which a test holds while it waits for them. */
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null) {
                problem(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage(),
                        record.getThrown());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Thread.UncaughtExceptionHandler previousUncaught;
    private final boolean requestLogToParents;
    private ScriptedEngine engine;
    private TestServer server;

    private FuzzServer() {
        SERVER_LOGS.addHandler(capture);
        // One log line per request is thousands of lines per run; failures still reach the capture handler above.
        requestLogToParents = REQUEST_LOG.getUseParentHandlers();
        REQUEST_LOG.setUseParentHandlers(false);
        REQUEST_LOG.addHandler(capture);
        previousUncaught = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> problem("uncaught in " + thread, failure));
        startServer();
    }

    static FuzzServer start() {
        return new FuzzServer();
    }

    private void startServer() {
        engine = ScriptedEngine.replying(HELLO);
        server = TestServer.with(engine).maxBodyBytes(MAX_BODY_BYTES).start();
    }

    /**
     * POSTs {@code body} byte for byte on a new connection, {@code Connection: close}, so no request can be answered
     * on a connection an earlier one left behind. {@code headerLines} are added as they are ({@code Name: value}).
     */
    Reply post(String path, byte[] body, String... headerLines) {
        List<String> head = new ArrayList<>(List.of("POST " + path + " HTTP/1.1", "Content-Type: application/json",
                "Content-Length: " + body.length));
        head.addAll(List.of(headerLines));
        return exchange(head, body);
    }

    /**
     * Sends a request line and headers (Host and {@code Connection: close} are added) and {@code body} as they are,
     * and reads the response; a connection that ends without one gives status 0.
     */
    Reply exchange(List<String> head, byte[] body) {
        List<String> lines = new ArrayList<>(head);
        lines.add(1, "Host: " + host());
        lines.add("Connection: close");
        return counted(raw -> {
            String sendFailure = null;
            try {
                raw.send(lines, body);
            } catch (IOException e) {
                // the server may answer and close before it read the whole body (413): read what it said
                sendFailure = "sending: " + e;
            }
            return read(raw, sendFailure);
        });
    }

    /**
     * Sends {@code request} (request line, headers, body) byte for byte on a new connection and reads the response;
     * with {@code halfClose} the client then says it sends nothing more, as one that gave up mid-body.
     */
    Reply sendBytes(byte[] request, boolean halfClose) {
        return counted(raw -> {
            String sendFailure = null;
            try {
                raw.sendRaw(request);
                if (halfClose) {
                    raw.endOutput();
                }
            } catch (IOException e) {
                sendFailure = "sending: " + e;
            }
            return read(raw, sendFailure);
        });
    }

    /** The address to put in a Host header. */
    String host() {
        return "127.0.0.1:" + server.port();
    }

    /**
     * Runs {@code exchange} on a new connection to the server, counting the turns it started. Exchanges run one at a
     * time, so no other request's turn is counted: jqwik may still be shrinking in the background when a property
     * that ran out of shrinking time goes on to its {@code @AfterProperty}.
     */
    synchronized Reply counted(RawExchange exchange) {
        int before = engine.turns().size();
        Reply reply;
        try (RawHttp raw = server.raw()) {
            reply = exchange.run(raw);
        } catch (IOException e) {
            reply = new Reply(0, null, null, "", e.toString());
        }
        int started = engine.turns().size() - before;
        if (reply.status() == 0) {
            // a thread that died with the connection reports it as it ends, just after the client saw the close
            pause(Duration.ofMillis(50));
        }
        reply = new Reply(reply.status(), reply.contentType(), reply.connection(), reply.body(), started,
                reply.failure(), takeProblems());
        if (engine.turns().size() >= RESTART_AFTER_TURNS) {
            server.close();
            startServer();
        }
        return reply;
    }

    interface RawExchange {
        Reply run(RawHttp raw) throws IOException;
    }

    /** The response on {@code raw}, or status 0 and why there was none. */
    static Reply read(RawHttp raw, String before) {
        try {
            RawHttp.Response response = raw.readResponse();
            while (response.status() >= 100 && response.status() < 200) {
                // 100 Continue, for a request that asked for it: the answer follows
                response = raw.readResponse();
            }
            return new Reply(response.status(), response.header("content-type"), response.header("connection"),
                    response.body(), before);
        } catch (IOException e) {
            return new Reply(0, null, null, "", (before == null ? "" : before + "; ") + "reading: " + e);
        }
    }

    private static void pause(Duration time) {
        try {
            Thread.sleep(time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What went wrong inside the server since the last call: log records of failures, uncaught exceptions. */
    List<String> takeProblems() {
        List<String> taken = new ArrayList<>();
        for (String problem = problems.poll(); problem != null; problem = problems.poll()) {
            taken.add(problem);
        }
        return taken;
    }

    private void problem(String what, Throwable failure) {
        if (failure == null) {
            problems.add(what);
            return;
        }
        problems.add(what + "\n" + shortTrace(failure));
    }

    /**
     * A stack trace with its first frames and every frame of the server's own code, and the same for its causes: a
     * stack overflow's thousand repeated frames would hide the rest.
     */
    static String shortTrace(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(t == failure ? "" : "Caused by: ").append(t).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            int left = 0;
            for (int i = 0; i < frames.length; i++) {
                if (i < 12 || frames[i].getClassName().startsWith("dev.claudemaxapi.")) {
                    if (left > 0) {
                        out.append("\t... ").append(left).append(" more\n");
                        left = 0;
                    }
                    out.append("\tat ").append(frames[i]).append('\n');
                } else {
                    left++;
                }
            }
            if (left > 0) {
                out.append("\t... ").append(left).append(" more\n");
            }
        }
        return out.toString();
    }

    /** POSTs a body the server must answer with 200, to show it is still up. */
    synchronized void assertStillAnswers() {
        byte[] body = """
                {"model":"sonnet","max_tokens":16,"messages":[{"role":"user","content":"Still there?"}]}"""
                .getBytes(StandardCharsets.UTF_8);
        // through a pooled HTTP client, as SDKs send, as well as on a new connection
        for (int i = 0; i < 2; i++) {
            int before = engine.turns().size();
            HttpResponse<String> pooled = server.send(server.request("/v1/chat/completions")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build());
            int started = engine.turns().size() - before;
            if (pooled.statusCode() != 200 || !pooled.body().contains(HELLO) || started != 1) {
                throw new AssertionError("the server no longer answers a valid request (turns started: " + started
                        + "): " + pooled.statusCode() + " " + pooled.body());
            }
        }
        Reply chat = post("/v1/chat/completions", body);
        Reply messages = post("/v1/messages", body, "anthropic-version: 2023-06-01");
        if (chat.status() != 200 || !chat.body().contains(HELLO) || chat.turnsStarted() != 1
                || messages.status() != 200 || !messages.body().contains(HELLO) || messages.turnsStarted() != 1) {
            throw new AssertionError("the server no longer answers a valid request:\n" + chat + "\n" + messages);
        }
        List<String> late = takeProblems();
        if (!late.isEmpty()) {
            throw new AssertionError("the server logged failures:\n" + String.join("\n", late));
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            SERVER_LOGS.removeHandler(capture);
            REQUEST_LOG.removeHandler(capture);
            REQUEST_LOG.setUseParentHandlers(requestLogToParents);
            Thread.setDefaultUncaughtExceptionHandler(previousUncaught);
        }
    }

}
