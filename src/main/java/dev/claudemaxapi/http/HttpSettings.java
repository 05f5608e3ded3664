package dev.claudemaxapi.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP side of the configuration.
 *
 * @param heartbeat      how often a silent stream is probed with a heartbeat
 * @param firstEventWait how long a streamed answer may wait for its first event before the headers go out
 * @param limits         the connection limits that keep slow or stuck clients from taking the server down
 * @param metricsKey     a key that opens {@code /metrics} alone, for a scraper that should not hold an API key
 */
public record HttpSettings(
        InetSocketAddress listen,
        List<ApiKey> apiKeys,
        Set<String> corsOrigins,
        long maxBodyBytes,
        Duration heartbeat,
        Duration firstEventWait,
        Limits limits,
        Optional<String> metricsKey) {

    /**
     * @param writeTimeout   how long one write to a client may block (a client that stops reading) before the
     *                       connection is dropped and its answer stopped
     * @param requestTimeout how long a client may take to send its request line, headers and body
     * @param maxConnections open connections at most; past it new ones are closed at once
     */
    public record Limits(Duration writeTimeout, Duration requestTimeout, int maxConnections) {
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(60), 512);

        public Limits {
            Objects.requireNonNull(writeTimeout, "writeTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1");
            }
        }
    }

    public HttpSettings {
        Objects.requireNonNull(listen, "listen");
        apiKeys = List.copyOf(apiKeys);
        corsOrigins = Set.copyOf(corsOrigins);
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(firstEventWait, "firstEventWait");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(metricsKey, "metricsKey");
    }

    public HttpSettings(InetSocketAddress listen, List<ApiKey> apiKeys, Set<String> corsOrigins, long maxBodyBytes,
            Duration heartbeat, Duration firstEventWait, Limits limits) {
        this(listen, apiKeys, corsOrigins, maxBodyBytes, heartbeat, firstEventWait, limits, Optional.empty());
    }

    public HttpSettings(InetSocketAddress listen, List<ApiKey> apiKeys, Set<String> corsOrigins, long maxBodyBytes,
            Duration heartbeat, Duration firstEventWait) {
        this(listen, apiKeys, corsOrigins, maxBodyBytes, heartbeat, firstEventWait, Limits.DEFAULTS);
    }

    /** Without the metrics key, which is a secret; the API keys print masked themselves. */
    @Override
    public String toString() {
        return "HttpSettings[listen=" + listen + ", apiKeys=" + apiKeys + ", corsOrigins=" + corsOrigins
                + ", maxBodyBytes=" + maxBodyBytes + ", heartbeat=" + heartbeat + ", firstEventWait=" + firstEventWait
                + ", limits=" + limits + ", metricsKey=" + metricsKey.map(key -> "****").orElse("none") + "]";
    }

    boolean loopbackOnly() {
        return listen.getAddress() != null && listen.getAddress().isLoopbackAddress();
    }
}
