package dev.claudemaxapi.engine.cli;

import dev.claudemaxapi.engine.process.ProcessTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Asks the CLI for its version at start-up, which also proves it can be run. */
public final class CliVersionProbe {
    private CliVersionProbe() {}

    /** The CLI could not be run; the message says how to fix that. */
    public static final class CliMissing extends Exception {
        private static final long serialVersionUID = 1L;

        CliMissing(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static String version(String claudeBin, Map<String, String> environment, Duration timeout)
            throws CliMissing, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(claudeBin, "--version")).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliMissing("The Claude Code CLI was not found at '" + claudeBin + "' (" + e.getMessage()
                    + ").\nInstall it with:  npm install -g @anthropic-ai/claude-code\n"
                    + "or point to it with --claude-bin PATH (or the CLAUDE_BIN environment variable).", e);
        }
        try (InputStream out = process.getInputStream()) {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.kill(process);
                throw new CliMissing("'" + claudeBin + " --version' did not answer within " + timeout.toSeconds()
                        + " s.", null);
            }
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new CliMissing("'" + claudeBin + " --version' failed (exit code " + process.exitValue() + "): "
                        + text, null);
            }
            return text;
        } catch (IOException e) {
            throw new CliMissing("Could not read the output of '" + claudeBin + " --version': " + e.getMessage(), e);
        }
    }
}
