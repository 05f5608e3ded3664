package dev.claudemaxapi.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP side of the configuration.
 *
 * @param heartbeat      how often a silent stream is probed with a heartbeat
 * @param firstEventWait how long a streamed answer may wait for its first event before the headers go out
 */
public record HttpSettings(
        InetSocketAddress listen,
        List<String> apiKeys,
        Set<String> corsOrigins,
        long maxBodyBytes,
        Duration heartbeat,
        Duration firstEventWait) {

    public HttpSettings {
        Objects.requireNonNull(listen, "listen");
        apiKeys = List.copyOf(apiKeys);
        corsOrigins = Set.copyOf(corsOrigins);
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(firstEventWait, "firstEventWait");
    }

    boolean loopbackOnly() {
        return listen.getAddress() != null && listen.getAddress().isLoopbackAddress();
    }
}
