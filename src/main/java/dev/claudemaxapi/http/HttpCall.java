package dev.claudemaxapi.http;

import com.sun.net.httpserver.HttpExchange;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One HTTP exchange as the routes see it: request facts, a capped body, and responses sent exactly once. */
final class HttpCall {
    final HttpExchange exchange;
    final RequestLog log;
    private final long maxBodyBytes;
    private boolean committed;

    HttpCall(HttpExchange exchange, long maxBodyBytes) {
        this.exchange = exchange;
        this.maxBodyBytes = maxBodyBytes;
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

    boolean committed() {
        return committed;
    }

    /** @throws ProxyException (413) past the body cap, before reading it when the length is declared */
    byte[] body() throws IOException {
        String declared = header("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw ProxyException.invalid("Content-Length is not a number.");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (out.size() + read > maxBodyBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        }
    }

    private ProxyException tooLarge() {
        return new ProxyException(ErrorKind.REQUEST_TOO_LARGE,
                "The request body is larger than the server's limit of " + maxBodyBytes + " bytes.");
    }

    void sendJson(int status, byte[] body) throws IOException {
        commit();
        log.status = status;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        // Closing the body flushes the response before the JDK drains any unread request body (as
        // HttpExchange.close() does first), so an early 413 or 401 is not held back until the upload ends.
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
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
        return new SseWriter(exchange.getResponseBody());
    }

    private void commit() {
        if (committed) {
            throw new IllegalStateException("response already sent");
        }
        committed = true;
    }
}
