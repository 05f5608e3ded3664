package dev.claudemaxapi.http;

import dev.claudemaxapi.core.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place that frames server-sent events. A CR or LF inside a value starts a new {@code data:} line (or is
 * dropped from names and comments), so no payload can inject a field or end an event early. Every batch is flushed.
 */
final class SseWriter implements AutoCloseable {
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private final OutputStream out;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** @throws IOException when the client is gone */
    void write(List<SseEvent> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        StringBuilder frame = new StringBuilder();
        for (SseEvent event : events) {
            frame(event, frame);
        }
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the response body (the last chunk), through the same timed stream as every event. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    static String frame(SseEvent event) {
        StringBuilder out = new StringBuilder();
        frame(event, out);
        return out.toString();
    }

    private static void frame(SseEvent event, StringBuilder out) {
        switch (event) {
            case SseEvent.Data data -> {
                if (data.name() != null) {
                    out.append("event: ").append(singleLine(data.name())).append('\n');
                }
                for (String line : LINE_BREAK.split(data.data(), -1)) {
                    out.append("data: ").append(line).append('\n');
                }
                out.append('\n');
            }
            case SseEvent.Comment comment -> out.append(": ").append(singleLine(comment.text())).append("\n\n");
        }
    }

    private static String singleLine(String value) {
        return LINE_BREAK.matcher(value).replaceAll(" ");
    }
}
