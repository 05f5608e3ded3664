package dev.claudemaxapi.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

/**
 * Read and connection limits of the JDK's HTTP server, which it takes from system properties once per JVM, when its
 * first server starts: {@code sun.net.httpserver.maxReqTime} closes a connection whose request line, headers and
 * body take longer than that (slow-loris clients), and {@code jdk.httpserver.maxConnections} closes new connections
 * past the cap at once, so file descriptors are left for the CLI processes. Idle keep-alive connections are closed
 * by the JDK after {@code sun.net.httpserver.idleInterval} (30 s) and beyond
 * {@code sun.net.httpserver.maxIdleConnections} (200). A property the operator set with {@code -D} is kept.
 */
final class JdkServerLimits {
    private static final Logger LOG = Logger.getLogger(JdkServerLimits.class.getName());
    static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";


    private JdkServerLimits() {}

    /** Sets the properties unless already set; a JVM whose first server has started keeps what it read then. */
    static void apply(HttpSettings.Limits limits) {
        setIfAbsent(MAX_REQUEST_TIME, Long.toString(Math.max(1, limits.requestTimeout().toSeconds())));
        setIfAbsent(MAX_CONNECTIONS, Integer.toString(connectionCap(limits.maxConnections(), descriptorLimit())));
    }

    /** At most half the descriptors the process may open: the rest is for CLI pipes, jars and the pool. */
    static int connectionCap(int configured, long descriptorLimit) {
        if (descriptorLimit <= 0) {
            return configured;
        }
        return (int) Math.max(8, Math.min(configured, descriptorLimit / 2));
    }

    private static long descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    private static void setIfAbsent(String name, String value) {
        String current = System.getProperty(name);
        if (current == null) {
            System.setProperty(name, value);
        } else if (!current.equals(value)) {
            LOG.fine(() -> name + " stays " + current + " (asked for " + value + ")");
        }
    }
}
