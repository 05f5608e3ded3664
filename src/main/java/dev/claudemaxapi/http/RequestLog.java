package dev.claudemaxapi.http;

import dev.claudemaxapi.core.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the one log line of a request says; filled in as the request goes. Every value that may come from a client
 * (path, model, error text quoting the request) is written through {@link #clean}, so no request can start a line
 * of its own in the log or break the line's quoting.
 */
final class RequestLog {
    final String method;
    final String path;
    final long startNanos = System.nanoTime();
    String requestId = "-";
    /** Whether the request asked for an answer, so its usage goes into the usage history. */
    boolean answer;
    /** The route's path pattern ({@code /v1/responses/{id}}), or {@code unmatched}: a bounded label for metrics. */
    String route = "unmatched";
    /** When a streamed answer's first text, thinking or tool input went out. */
    OptionalLong firstTokenNanos = OptionalLong.empty();
    /** The name of the API key the request came with, once it passed the check. */
    String key = "-";
    String model = "-";
    int status;
    boolean streamed;
    String servedAs = "-";
    Usage usage;
    /** What the CLI reported the answer cost, when it did. */
    OptionalDouble costUsd = OptionalDouble.empty();
    String error;

    RequestLog(String method, String path) {
        this.method = method;
        this.path = path;
    }

    String line() {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        StringBuilder out = new StringBuilder()
                .append(clean(method)).append(' ').append(clean(path))
                .append(" status=").append(status)
                .append(" ms=").append(millis)
                .append(" model=").append(clean(model))
                .append(" stream=").append(streamed)
                .append(" engine=").append(servedAs);
        if (usage != null) {
            out.append(" in=").append(usage.totalInputTokens()).append(" out=").append(usage.outputTokens());
        }
        out.append(" key=").append(clean(key)).append(" id=").append(requestId);
        if (error != null) {
            out.append(" error=\"").append(clean(error).replace('"', '\'')).append('"');
        }
        return out.toString();
    }

    /** The same as named fields, for JSON log lines; text from clients is left as it came (JSON escapes it). */
    Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", requestId);
        fields.put("key", key);
        fields.put("method", method);
        fields.put("path", path);
        fields.put("status", status);
        fields.put("ms", (System.nanoTime() - startNanos) / 1_000_000);
        fields.put("model", model);
        fields.put("stream", streamed);
        fields.put("engine", servedAs);
        if (usage != null) {
            fields.put("input_tokens", usage.totalInputTokens());
            fields.put("output_tokens", usage.outputTokens());
        }
        costUsd.ifPresent(cost -> fields.put("cost_usd", cost));
        if (error != null) {
            fields.put("error", error);
        }
        return fields;
    }

    /** Control characters (and Unicode line and paragraph separators) written as {@code \\uXXXX}. */
    static String clean(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (unsafe && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }
}
