package dev.claudemaxapi.engine;

import java.util.HashMap;
import java.util.Map;

/** The environment a CLI child gets: the server's own, plus what a headless CLI needs, minus what breaks it. */
public final class CliEnvironment {
    private CliEnvironment() {}

    /** Variables the CLI sets for its own children; inherited, they make a nested CLI think it is a sub-process. */
    private static final String[] REMOVED = {"CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT", "CLAUDE_CODE_SSE_PORT"};

    public static Map<String, String> from(Map<String, String> serverEnvironment) {
        Map<String, String> env = new HashMap<>(serverEnvironment);
        for (String name : REMOVED) {
            env.remove(name);
        }
        // Without these the CLI also calls home (telemetry, update checks, /api/hello) on every start.
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.putIfAbsent("DISABLE_ERROR_REPORTING", "1");
        return env;
    }
}
