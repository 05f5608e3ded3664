package dev.claudemaxapi.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How the engine runs the CLI.
 *
 * @param claudeBin       the executable
 * @param workDir         the working directory of every CLI process
 * @param environment     the full environment of every CLI process
 * @param stallTimeout    how long the CLI may print nothing before the turn is abandoned
 * @param builtInTools    the CLI's own tools to allow ({@code ""}: none, the safe default)
 * @param useUserSettings whether the user's Claude settings, hooks, plugins, CLAUDE.md and MCP servers apply
 */
public record CliSettings(
        String claudeBin,
        Path workDir,
        Map<String, String> environment,
        Duration stallTimeout,
        String builtInTools,
        boolean useUserSettings) {

    private static final Optional<String> NICE = Stream.of("/usr/bin/nice", "/bin/nice")
            .filter(path -> Files.isExecutable(Path.of(path))).findFirst();

    public CliSettings {
        Objects.requireNonNull(claudeBin, "claudeBin");
        Objects.requireNonNull(workDir, "workDir");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(builtInTools, "builtInTools");
    }

    /**
     * Whether a running process can be switched to {@code model}: aliases can, with {@code set_model} before a
     * conversation's first turn, at no cost; for an exact model id the CLI would first send a probe request upstream,
     * so such requests get a process spawned with that model.
     */
    public static boolean switchable(String model) {
        return !model.startsWith("claude-");
    }

    /** How a process is started: for a request waiting on it, or ahead of need, at low CPU priority. */
    public enum Priority { FOREGROUND, BACKGROUND }

    /**
     * The CLI arguments for a process on {@code model}. Nothing from the client's request is on the command line
     * except the model name, which the model catalog has already checked.
     */
    public List<String> argv(String model, Priority priority) {
        List<String> argv = new ArrayList<>();
        if (priority == Priority.BACKGROUND && NICE.isPresent()) {
            // Warm spares start at low CPU priority so they never slow down answers in progress.
            argv.addAll(List.of(NICE.get(), "-n", "10"));
        }
        argv.addAll(List.of(
                claudeBin,
                "-p",
                "--input-format", "stream-json",
                "--output-format", "stream-json",
                "--verbose",
                "--include-partial-messages",
                "--model", model,
                "--tools", builtInTools,
                // the client's tools, offered per conversation under one of these two MCP server names
                "--allowedTools", ClientToolServer.ALLOWED,
                "--strict-mcp-config",
                "--no-session-persistence",
                // Defence in depth: PromptEncoder already keeps client text from running the CLI's own commands.
                "--disable-slash-commands"));
        if (!useUserSettings) {
            // --restricted keeps hooks, the settings' env block, CLAUDE.md, AGENTS.md and auto-memory out while
            // OAuth logins keep working (--bare would ignore OAuth); --safe-mode also drops skills and plugins.
            argv.add("--restricted");
            argv.add("--safe-mode");
        }
        return argv;
    }
}
