package dev.claudemaxapi.engine.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a CLI child gets: only what a headless CLI needs from the server's own (the system basics, the
 * CLI's and the Anthropic API's own settings, proxies and certificates, cloud-provider credentials for Bedrock and
 * Vertex users), plus what keeps it quiet, and never the server's own secrets: API keys and configuration of this
 * server stay out of every CLI process's environment. (They are not out of reach of a model given shell tools with
 * {@code --cli-tools}: the CLI runs as the server's user, who can read the server's own {@code /proc} entries.)
 */
public final class CliEnvironment {
    private CliEnvironment() {}

    private static final Set<String> NAMES = Set.of(
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy",
            "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
            "API_TIMEOUT_MS", "MAX_THINKING_TOKENS", "BASH_DEFAULT_TIMEOUT_MS", "BASH_MAX_TIMEOUT_MS",
            "CLOUD_ML_REGION", "GOOGLE_APPLICATION_CREDENTIALS", "ENABLE_TOOL_SEARCH");

    private static final List<String> PREFIXES = List.of(
            "LC_", "XDG_", "ANTHROPIC_", "CLAUDE_CODE_", "CLAUDE_CONFIG_DIR", "DISABLE_", "MCP_", "AWS_",
            "VERTEX_REGION_", "OTEL_");

    /** The server's own variables; never passed on, even if another rule would match. */
    private static final String SERVER_PREFIX = "CLAUDE_MAX_API";

    /** Variables the CLI sets for its own children; inherited, they make a nested CLI think it is a sub-process. */
    private static final Set<String> REMOVED = Set.of("CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT", "CLAUDE_CODE_SSE_PORT");

    public static Map<String, String> from(Map<String, String> serverEnvironment) {
        Map<String, String> env = new HashMap<>();
        serverEnvironment.forEach((name, value) -> {
            if (passes(name)) {
                env.put(name, value);
            }
        });
        // Without these the CLI also calls home (telemetry, update checks, /api/hello) on every start.
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.putIfAbsent("DISABLE_ERROR_REPORTING", "1");
        // Otherwise the client's tools, offered as MCP tools, would hide behind the CLI's ToolSearch tool.
        env.put("ENABLE_TOOL_SEARCH", "false");
        return env;
    }

    static boolean passes(String name) {
        if (name.startsWith(SERVER_PREFIX) || REMOVED.contains(name)) {
            return false;
        }
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }
}
