package dev.claudemaxapi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The pinned real CLI ({@code @anthropic-ai/claude-code@2.1.328}), as {@code bin/test} installs it from npm into
 * {@code .cli/}. Without it the end-to-end tier is skipped with a message, except where it is required (CI), where
 * its absence fails the run.
 */
public final class RealCli {
    public static final String PINNED_VERSION = "2.1.328";

    private RealCli() {}

    /** The executable, or a skipped (or, when required, failed) test. */
    public static Path require() {
        Path dir = Path.of(System.getProperty("claude.cli.dir", ".cli"));
        for (Path candidate : List.of(
                dir.resolve("node_modules/@anthropic-ai/claude-code-linux-x64/claude"),
                dir.resolve("node_modules/@anthropic-ai/claude-code-linux-arm64/claude"),
                dir.resolve("node_modules/.bin/claude"))) {
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        String message = "The real Claude CLI " + PINNED_VERSION + " is not installed in " + dir.toAbsolutePath()
                + "; run bin/test (it installs it with npm) to run the end-to-end tier.";
        if (Boolean.getBoolean("e2e.required") || "true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    /**
     * An environment for one CLI test: the upstream, an OAuth token (the subscription login path), no retries,
     * and a private HOME and TMPDIR, so nothing of the machine's user leaks in and nothing leaks out.
     */
    public static Map<String, String> environment(FakeUpstream upstream, Path scratch) throws IOException {
        Path home = Files.createDirectories(scratch.resolve("home"));
        // The device id the CLI sends in every request's metadata comes from here; without it, processes that
        // start together in a fresh home each write their own, and a process rereads the file between requests.
        Path config = home.resolve(".claude.json");
        if (Files.notExists(config)) {
            Files.writeString(config, "{\"userID\":\"" + "0123456789abcdef".repeat(4) + "\"}");
        }
        Path tmp = Files.createDirectories(scratch.resolve("tmp"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("ANTHROPIC_BASE_URL", upstream.baseUrl());
        env.put("CLAUDE_CODE_OAUTH_TOKEN", "oat-test-token");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        env.put("API_TIMEOUT_MS", "30000");
        return env;
    }
}
