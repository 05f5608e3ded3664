package dev.claudemaxapi.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not do: a custom {@code Host}, reading a stream
 * chunk by chunk, hanging up mid-response. Every read has a timeout, so a server that never answers fails the test
 * instead of hanging it.
 */
public final class RawHttp implements AutoCloseable {

    /** A response head: the status and the headers, names folded to lower case. */
    public record Head(int status, Map<String, List<String>> headers) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        boolean chunked() {
            String encoding = header("transfer-encoding");
            return encoding != null && encoding.equalsIgnoreCase("chunked");
        }
    }

    /** A whole response; the body is decoded from chunks when it was chunked. */
    public record Response(Head head, String body) {
        public int status() {
            return head.status();
        }

        public String header(String name) {
            return head.header(name);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawHttp connect(InetSocketAddress address, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) readTimeout.toMillis());
        socket.setSoTimeout((int) readTimeout.toMillis());
        return new RawHttp(socket);
    }

    /** Sends {@code head} lines joined with CRLF, the blank line, then {@code body} (UTF-8). */
    public void send(List<String> head, String body) throws IOException {
        StringBuilder request = new StringBuilder();
        for (String line : head) {
            request.append(line).append("\r\n");
        }
        request.append("\r\n").append(body);
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends {@code head} lines joined with CRLF, the blank line, then {@code body} byte for byte. */
    public void send(List<String> head, byte[] body) throws IOException {
        StringBuilder request = new StringBuilder();
        for (String line : head) {
            request.append(line).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }

    /** Sends bytes as they are, for bodies that are not UTF-8 and framing that is not HTTP. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Tells the server nothing more is coming (a half-close), as a client that stops mid-body does. */
    public void endOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Whether the server closes the connection within {@code wait} without sending anything more; false when it
     * stays open (or sends more, which is left to be read).
     */
    public boolean closedWithin(Duration wait) throws IOException {
        int readTimeout = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        in.mark(1);
        try {
            if (in.read() == -1) {
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(readTimeout);
        }
    }

    /** Sends raw bytes as they are, for partial bodies and hand-made chunking. */
    public void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Head readHead() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(parts[1]), headers);
    }

    /** The next chunk of a chunked body, or null after the last one. */
    public String readChunk() throws IOException {
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
            for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
                // trailers are not used by this server
            }
            return null;
        }
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        if (!readLine().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return chunk;
    }

    /** Reads chunks until the text read so far contains {@code marker}; returns that text. */
    public String readChunksUntil(String marker) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().contains(marker)) {
            String chunk = readChunk();
            if (chunk == null) {
                throw new IOException("the stream ended before '" + marker + "': " + text);
            }
            text.append(chunk);
        }
        return text.toString();
    }

    public Response readResponse() throws IOException {
        Head head = readHead();
        String length = head.header("content-length");
        String body;
        if (head.status() < 200) {
            body = ""; // an interim response such as 100 Continue has no body; the response follows it
        } else if (head.chunked()) {
            StringBuilder text = new StringBuilder();
            for (String chunk = readChunk(); chunk != null; chunk = readChunk()) {
                text.append(chunk);
            }
            body = text.toString();
        } else if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Response(head, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed mid-line: " + line.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
