package dev.claudemaxapi;

import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.http.ApiKey;
import dev.claudemaxapi.http.HttpSettings;
import dev.claudemaxapi.store.StoreSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line. {@link #toConfig} checks it and turns it into a {@link ProxyConfig}. */
@Command(name = "claude-max-api", mixinStandardHelpOptions = true, versionProvider = Options.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "OpenAI- and Anthropic-compatible API server over the Claude Code CLI.%n"
                + "Endpoints: POST /v1/chat/completions, POST /v1/completions, POST /v1/responses, "
                + "GET and DELETE /v1/responses/{id}, POST /v1/messages, POST /v1/messages/count_tokens, "
                + "GET /v1/models, GET /v1/models/{id}, GET /health.")
final class Options {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT", defaultValue = "8080",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML file with the same keys as these options (without dashes), plus api-keys (with "
                    + "names), cors-origins and model-aliases (default: $XDG_CONFIG_HOME/claude-max-api/config.yaml, "
                    + "if it exists). Command line > environment (CLAUDE_MAX_API_<KEY>) > file > defaults.")
    Path config;

    @Option(names = "--print-config",
            description = "Print the merged configuration, keys masked, and exit.")
    boolean printConfig;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}). Anything but loopback requires --api-key.")
    String host;

    @Option(names = "--cwd", paramLabel = "DIR",
            description = "Working directory for the CLI (default: a private empty directory the server creates).")
    Path cwd;

    @Option(names = "--claude-bin", paramLabel = "PATH", defaultValue = "${env:CLAUDE_BIN:-claude}",
            description = "The claude executable (default: $CLAUDE_BIN, else 'claude' on PATH).")
    String claudeBin;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "A key clients must send (Authorization: Bearer or x-api-key). Repeatable. "
                    + "Also read from $CLAUDE_MAX_API_KEYS (comma-separated).")
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--metrics-key", paramLabel = "KEY",
            description = "A key that opens GET /metrics alone, for a scraper. Also read from "
                    + "$CLAUDE_MAX_API_METRICS_KEY. Without it, /metrics takes the API keys (open when there are none).")
    String metricsKey;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "A browser origin allowed to call the API, e.g. http://localhost:3000. Repeatable. "
                    + "Default: none (requests from web pages are refused).")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "4",
            description = "Answers running at once (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "32",
            description = "Requests waiting for a slot; more get 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "6",
            description = "Idle CLI processes kept for reuse: warm spares plus live conversations, ~150-200 MB each "
                    + "(default: ${DEFAULT-VALUE}). 0 starts a fresh CLI for every request.")
    int poolSize;

    @Option(names = "--warm", paramLabel = "N", defaultValue = "2",
            description = "Started, unused CLI processes kept ready for new conversations, within --pool-size "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmSpares;

    @Option(names = "--live-ttl", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long a conversation's process waits for its next turn (default: ${DEFAULT-VALUE}).")
    long liveTtlSeconds;

    @Option(names = "--max-process-age", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Processes older than this are not reused (default: ${DEFAULT-VALUE}).")
    long maxProcessAgeSeconds;

    @Option(names = "--max-process-turns", paramLabel = "N", defaultValue = "100",
            description = "Processes that served this many turns are not reused (default: ${DEFAULT-VALUE}).")
    int maxProcessTurns;

    @Option(names = "--max-process-growth-mb", paramLabel = "MB", defaultValue = "300",
            description = "Processes whose memory grew by more than this since their first turn are not reused "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxProcessGrowthMb;

    @Option(names = "--tool-wait", paramLabel = "SECONDS", defaultValue = "900",
            description = "How long a CLI process whose answer called the client's tools waits for their results "
                    + "(default: ${DEFAULT-VALUE}); past it the calls are interrupted and the next request rebuilds "
                    + "the conversation.")
    long toolWaitSeconds;

    @Option(names = "--no-recycle", arity = "0..1", fallbackValue = "true",
            description = "Stop the process of an ended conversation instead of rewinding it for a new one. By "
                    + "default it is rewound to its first message (about 2 ms), which leaves it empty: the next "
                    + "conversation's requests carry nothing of the old one, and it skips the CLI start-up.")
    boolean noRecycle;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Stop an answer when the CLI prints nothing for this long (default: ${DEFAULT-VALUE}). "
                    + "There is no overall time limit, so long agentic answers are not cut.")
    long stallTimeoutSeconds;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "1",
            description = "Heartbeat interval of silent streams; it is also how fast a gone client is noticed "
                    + "(default: ${DEFAULT-VALUE}).")
    double heartbeatSeconds;

    @Option(names = "--max-body-mb", paramLabel = "MB", defaultValue = "32",
            description = "Largest request body accepted, in MiB (default: ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Option(names = "--write-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Drop a client that reads nothing for this long while the server writes to it, and stop "
                    + "its answer (default: ${DEFAULT-VALUE}).")
    int writeTimeoutSeconds;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Close a connection whose request line, headers and body take longer than this "
                    + "(default: ${DEFAULT-VALUE}).")
    int requestTimeoutSeconds;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "512",
            description = "Open client connections at most; further ones are closed at once. Also kept below "
                    + "half the process's file-descriptor limit (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long requests in flight may finish (default: ${DEFAULT-VALUE}).")
    int shutdownGraceSeconds;

    @Option(names = "--model-alias", paramLabel = "NAME=MODEL",
            description = "Extra model name clients may use, e.g. gpt-4o=sonnet. Repeatable.")
    Map<String, String> modelAliases = new LinkedHashMap<>();

    @Option(names = "--cli-tools", paramLabel = "TOOLS", defaultValue = "",
            description = "DANGEROUS: built-in CLI tools to enable for API traffic, e.g. \"Read,Grep\". Any client "
                    + "could then make the model use them on this machine. Default: none.")
    String cliTools;

    @Option(names = "--use-claude-settings", arity = "0..1", fallbackValue = "true",
            description = "Let the user's Claude settings, hooks, plugins, CLAUDE.md and memory apply to API "
                    + "traffic (default: kept out).")
    boolean useClaudeSettings;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the server keeps its database of stored responses (default: "
                    + "$XDG_DATA_HOME/claude-max-api, else ~/.local/share/claude-max-api).")
    Path dataDir;

    @Option(names = "--response-ttl", paramLabel = "DURATION", defaultValue = "30d",
            description = "How long a stored Responses API response is kept after it was made or last continued, "
                    + "e.g. 30d, 12h, 90m (default: ${DEFAULT-VALUE}).")
    String responseTtl;

    @Option(names = "--response-store-mb", paramLabel = "MB", defaultValue = "1024",
            description = "About how much stored responses may take on disk; past it the least recently used "
                    + "go first (default: ${DEFAULT-VALUE}).")
    long responseStoreMb;

    @Option(names = "--usage-retention", paramLabel = "DURATION", defaultValue = "400d",
            description = "How long the usage history keeps a request, e.g. 400d (default: ${DEFAULT-VALUE}).")
    String usageRetention;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "error, warn, info or debug (default: $LOG_LEVEL, else info).")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, or json for one JSON object per line (default: ${DEFAULT-VALUE}).")
    String logFormat;

    /** A configuration from the command line and the environment alone. */
    ProxyConfig toConfig(Map<String, String> environment) {
        return toConfig(environment, ConfigFile.empty());
    }

    /**
     * @param file the configuration file's lists: its API keys join those of the command line and the environment,
     *             its CORS origins apply when neither gives any, its model aliases yield to {@code --model-alias}
     * @throws IllegalArgumentException with a message for the user when the options do not make sense
     */
    ProxyConfig toConfig(Map<String, String> environment, ConfigFile file) {
        List<ApiKey> keys = new ArrayList<>();
        for (String key : apiKeys) {
            keys.add(ApiKey.unnamed(keys.size() + 1, key));
        }
        String envKeys = environment.get("CLAUDE_MAX_API_KEYS");
        if (envKeys != null) {
            for (String key : envKeys.split(",")) {
                if (!key.isBlank()) {
                    keys.add(ApiKey.unnamed(keys.size() + 1, key.trim()));
                }
            }
        }
        keys.addAll(file.apiKeys());
        List<String> origins = !corsOrigins.isEmpty() ? corsOrigins : file.corsOrigins();
        Map<String, String> aliases = new LinkedHashMap<>(file.modelAliases());
        aliases.putAll(modelAliases);
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host: cannot resolve '" + host + "'.");
        }
        if (!address.isLoopbackAddress() && keys.isEmpty()) {
            throw new IllegalArgumentException("Refusing to listen on " + host + " without an API key: anyone who "
                    + "can reach it could use your Claude subscription. Add --api-key KEY (or set "
                    + "CLAUDE_MAX_API_KEYS), or bind 127.0.0.1.");
        }
        require(port >= 0 && port <= 65535, "PORT must be between 0 and 65535.");
        require(maxConcurrent >= 1, "--max-concurrent must be at least 1.");
        require(maxQueue >= 0, "--max-queue must be 0 or more.");
        require(stallTimeoutSeconds >= 1, "--stall-timeout must be at least 1 second.");
        require(heartbeatSeconds > 0, "--heartbeat must be positive.");
        require(maxBodyMb >= 1, "--max-body-mb must be at least 1.");
        require(shutdownGraceSeconds >= 0, "--shutdown-grace must be 0 or more.");
        require(writeTimeoutSeconds >= 1, "--write-timeout must be at least 1 second.");
        require(requestTimeoutSeconds >= 1, "--request-timeout must be at least 1 second.");
        require(maxConnections >= 1, "--max-connections must be at least 1.");
        require(poolSize >= 0, "--pool-size must be 0 or more.");
        require(warmSpares >= 0, "--warm must be 0 or more.");
        require(liveTtlSeconds >= 1, "--live-ttl must be at least 1 second.");
        require(maxProcessAgeSeconds >= 1, "--max-process-age must be at least 1 second.");
        require(maxProcessTurns >= 1, "--max-process-turns must be at least 1.");
        require(maxProcessGrowthMb >= 1, "--max-process-growth-mb must be at least 1.");
        require(toolWaitSeconds >= 1, "--tool-wait must be at least 1 second.");
        require(responseStoreMb >= 1 && responseStoreMb <= 1L << 30, "--response-store-mb must be between 1 and "
                + (1L << 30) + ".");
        StoreSettings store = new StoreSettings(
                dataDir != null ? dataDir : StoreSettings.defaultDataDir(environment),
                duration(responseTtl, "--response-ttl"), responseStoreMb << 20,
                duration(usageRetention, "--usage-retention"));
        PoolSettings pool = poolSize == 0 ? PoolSettings.off() : new PoolSettings(poolSize,
                Math.min(warmSpares, poolSize), Duration.ofSeconds(liveTtlSeconds),
                Duration.ofSeconds(maxProcessAgeSeconds), maxProcessTurns, (long) maxProcessGrowthMb << 20,
                noRecycle ? PoolSettings.Recycling.OFF : PoolSettings.Recycling.REWIND,
                Duration.ofSeconds(toolWaitSeconds));
        Duration heartbeat = Duration.ofMillis((long) (heartbeatSeconds * 1000));
        HttpSettings http = new HttpSettings(new InetSocketAddress(address, port), keys,
                new LinkedHashSet<>(origins), (long) maxBodyMb * 1024 * 1024, heartbeat, Duration.ofSeconds(10),
                new HttpSettings.Limits(Duration.ofSeconds(writeTimeoutSeconds),
                        Duration.ofSeconds(requestTimeoutSeconds), maxConnections),
                Optional.ofNullable(metricsKey != null ? metricsKey : environment.get("CLAUDE_MAX_API_METRICS_KEY"))
                        .filter(key -> !key.isBlank()));
        return new ProxyConfig(http, claudeBin, Optional.ofNullable(cwd), maxConcurrent, maxQueue,
                Duration.ofSeconds(stallTimeoutSeconds), Duration.ofSeconds(shutdownGraceSeconds), pool, aliases,
                cliTools, useClaudeSettings, store, level(logLevel), format(logFormat));
    }

    /** A positive duration written as a number and a unit: {@code 30d}, {@code 12h}, {@code 90m} or {@code 45s}. */
    static Duration duration(String text, String option) {
        Matcher parts = Pattern.compile("(\\d{1,9})([dhms])").matcher(text.trim());
        require(parts.matches(), option + ": write a number and a unit, such as 30d, 12h, 90m or 45s.");
        long amount = Long.parseLong(parts.group(1));
        require(amount >= 1, option + " must be positive.");
        return switch (parts.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private static LogFormat format(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new IllegalArgumentException("--log-format: use text or json.");
        };
    }

    private static Level level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warn", "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug", "fine" -> Level.FINE;
            case "trace", "all" -> Level.ALL;
            default -> throw new IllegalArgumentException("--log-level: use error, warn, info or debug.");
        };
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Options.class.getPackage().getImplementationVersion();
            return new String[] {"claude-max-api " + (version == null ? "dev" : version)};
        }
    }
}
