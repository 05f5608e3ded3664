package dev.claudemaxapi.http;

import dev.claudemaxapi.core.Usage;

/** What the one log line of a request says; filled in as the request goes. */
final class RequestLog {
    final String method;
    final String path;
    final long startNanos = System.nanoTime();
    String model = "-";
    int status;
    boolean streamed;
    String servedAs = "-";
    Usage usage;
    String error;

    RequestLog(String method, String path) {
        this.method = method;
        this.path = path;
    }

    String line() {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        StringBuilder out = new StringBuilder()
                .append(method).append(' ').append(path)
                .append(" status=").append(status)
                .append(" ms=").append(millis)
                .append(" model=").append(model)
                .append(" stream=").append(streamed)
                .append(" engine=").append(servedAs);
        if (usage != null) {
            out.append(" in=").append(usage.totalInputTokens()).append(" out=").append(usage.outputTokens());
        }
        if (error != null) {
            out.append(" error=\"").append(error.replace('"', '\'')).append('"');
        }
        return out.toString();
    }
}
