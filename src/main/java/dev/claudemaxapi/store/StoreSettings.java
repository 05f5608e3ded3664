package dev.claudemaxapi.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the database lives and how much of it stored responses may take.
 *
 * @param dataDir          the directory of the database file
 * @param responseTtl      how long a response is kept after it was made or last continued
 * @param maxResponseBytes about how much stored responses may take; the least recently used go first past it
 * @param usageRetention   how long the usage history keeps a request
 */
public record StoreSettings(Path dataDir, Duration responseTtl, long maxResponseBytes, Duration usageRetention) {
    public static final Duration DEFAULT_RESPONSE_TTL = Duration.ofDays(30);
    public static final long DEFAULT_MAX_RESPONSE_MB = 1024;
    public static final Duration DEFAULT_USAGE_RETENTION = Duration.ofDays(400);

    public Path databaseFile() {
        return dataDir.resolve("claude-max-api.db");
    }

    /** {@code $XDG_DATA_HOME/claude-max-api}, else {@code ~/.local/share/claude-max-api}, as the XDG spec says. */
    public static Path defaultDataDir(Map<String, String> environment) {
        String xdg = environment.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "claude-max-api");
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "claude-max-api");
    }
}
