package dev.claudemaxapi.http;

import com.sun.net.httpserver.HttpExchange;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * One HTTP exchange as the routes see it: request facts, a capped body held within the server's body budget,
 * responses sent exactly once through writes that time out, and a way to tell that the client has left before
 * anything was sent. {@link #close()} ends the exchange and gives back what it held.
 */
final class HttpCall implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    final HttpExchange exchange;
    final RequestLog log;
    private final long maxBodyBytes;
    private final BodyBudget.Reservation reservation;
    private final WriteTimeout writeTimeout;
    private final PeerProbe.Watch peer;
    private Optional<Caller> caller = Optional.empty();
    private boolean committed;
    private boolean bodyRead;

    HttpCall(HttpExchange exchange, long maxBodyBytes, BodyBudget budget, WriteTimeout writeTimeout,
            PeerProbe peers) {
        this.exchange = exchange;
        this.maxBodyBytes = maxBodyBytes;
        this.reservation = budget.reserve();
        this.writeTimeout = writeTimeout;
        this.peer = peers.watch(exchange.getLocalAddress(), exchange.getRemoteAddress());
        this.log = new RequestLog(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    /** A request header, matched without regard to case. */
    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Who sent the request, once the API key check has passed; empty on open paths without a valid key. */
    Optional<Caller> caller() {
        return caller;
    }

    void authenticated(Caller who) {
        caller = Optional.of(who);
    }

    boolean committed() {
        return committed;
    }

    /** Whether the client has hung up, found without writing to it (see {@link PeerProbe}). */
    boolean clientGone() {
        return peer.clientGone();
    }

    /**
     * @throws ProxyException 413 past the body cap (before reading when the length is declared), or when the body
     *     budget cannot hold it; 503 while other requests hold the budget
     */
    byte[] body() throws IOException, InterruptedException {
        String declared = header("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ProxyException.invalid("Content-Length is not a number.");
            }
            if (length > maxBodyBytes) {
                throw tooLarge();
            }
            reservation.cover(length);
        }
        // Not closed here: closed on a failure, the JDK would drain only 64 KiB, and discardUnreadBody() could not
        // read the rest.
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[CHUNK];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (out.size() + read > maxBodyBytes) {
                throw tooLarge();
            }
            reservation.cover(out.size() + read);
            out.write(buffer, 0, read);
        }
        bodyRead = true;
        return out.toByteArray();
    }

    private boolean hasBody() {
        String length = header("Content-Length");
        return header("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    }

    private ProxyException tooLarge() {
        return new ProxyException(ErrorKind.REQUEST_TOO_LARGE,
                "The request body is larger than the server's limit of " + maxBodyBytes + " bytes.");
    }

    void sendJson(int status, byte[] body) throws IOException {
        send(status, "application/json", body);
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        commit();
        log.status = status;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean unread = !bodyRead && hasBody();
        if (unread) {
            // Answered before the body was read (413, 401...): the connection ends after this answer, and the
            // client is told so it does not send its next request on it.
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = writeTimeout.guard(exchange.getResponseBody())) {
            out.write(body);
            // The answer goes out first, so an early 413 or 401 is not held back until the upload ends.
            out.flush();
            if (unread) {
                discardUnreadBody();
            }
        }
    }

    /**
     * Reads and drops what the client still sends of its body, up to twice the body cap. Closed on unread data, a
     * connection is reset by the kernel, and a client still sending may then lose the answer it was sent; the JDK
     * itself drains only 64 KiB. A client that sends slower than the request timeout allows is cut by that timeout.
     */
    private void discardUnreadBody() {
        long left = Math.max(2 * maxBodyBytes, 1024 * 1024);
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = exchange.getRequestBody();
            int read;
            while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
                left -= read;
            }
        } catch (IOException gone) {
            // the client stopped sending or left: nothing more to drain
        }
    }

    void sendEmpty(int status) throws IOException {
        commit();
        log.status = status;
        exchange.sendResponseHeaders(status, -1);
    }

    /** Sends 200 and the event-stream headers; the body is chunked from here on. */
    SseWriter startSse() throws IOException {
        commit();
        log.status = 200;
        log.streamed = true;
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        // Keeps nginx and similar proxies from buffering the stream.
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        return new SseWriter(writeTimeout.guard(exchange.getResponseBody()));
    }

    private void commit() {
        if (committed) {
            throw new IllegalStateException("response already sent");
        }
        committed = true;
    }

    @Override
    public void close() {
        try {
            exchange.close();
        } finally {
            reservation.close();
        }
    }
}
