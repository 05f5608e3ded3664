package dev.claudemaxapi.engine.process;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running {@code claude} process: lines in on stdin, NDJSON lines out of stdout. A virtual thread reads stdout
 * into a bounded queue, another sends stderr to the log (never to a client). No shell is involved.
 *
 * <p>The queue is bounded so that a reader who falls behind (a client that stops reading its stream) slows the CLI
 * down through its stdout pipe instead of piling its output up in memory. Once the process is killed its output is
 * no longer wanted: the reader then drains the pipe and drops what it reads, so it never waits on a full queue.
 */
public final class CliProcess {
    private static final Logger LOG = Logger.getLogger(CliProcess.class.getName());
    private static final int STDERR_LINES_KEPT = 20;
    /** Lines held for a reader; a turn's output is a few hundred lines at most. */
    public static final int QUEUE_LINES = 512;

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<CliOutput> lines = new LinkedBlockingQueue<>(QUEUE_LINES);
    private volatile boolean discarded;
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private CliProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        long pid = process.pid();
        Thread.ofVirtual().name("cli-out-" + pid).start(this::readStdout);
        Thread.ofVirtual().name("cli-err-" + pid).start(this::readStderr);
    }

    /** @throws ProxyException (503) when the executable cannot be started */
    public static CliProcess start(List<String> argv, Map<String, String> environment, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            return new CliProcess(builder.start());
        } catch (IOException e) {
            throw new ProxyException(ErrorKind.UNAVAILABLE,
                    "The Claude CLI could not be started: " + e.getMessage(), null, null, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Lines read from stdout and not yet taken. */
    public int pending() {
        return lines.size();
    }

    /** Writes one line to stdin. @throws ProxyException (502) when the process no longer reads */
    public void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new ProxyException(ErrorKind.UPSTREAM_FAILED,
                    "The Claude CLI stopped reading its input" + exitSummary(), null, null, e);
        }
    }

    /**
     * @return the next stdout line, {@link CliOutput.End} once stdout is closed or the process was killed, or empty
     *     if nothing came within {@code wait}
     */
    public Optional<CliOutput> next(Duration wait) throws InterruptedException {
        if (discarded) {
            return Optional.of(CliOutput.END);
        }
        return Optional.ofNullable(lines.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS));
    }

    /**
     * For a process that should be idle (warm, or between turns): drops whatever it printed meanwhile.
     *
     * @return false when it has exited or closed its output, so it must not be handed to a request
     */
    public boolean checkIdle() {
        CliOutput output;
        while ((output = lines.poll()) != null) {
            if (output instanceof CliOutput.End) {
                lines.offer(output);
                return false;
            }
        }
        return !discarded && process.isAlive();
    }

    /** Closes stdin: the CLI then finishes what it is doing and exits by itself. */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is already gone; nothing to close
        }
    }

    /** Ends the process and its children at once; whatever it printed and nobody read yet is dropped. */
    public void kill() {
        discarded = true;
        ProcessTree.kill(process);
        lines.clear();
    }

    /** Runs {@code action} once the process has exited. */
    public void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The exit code, for the client's error message. The CLI's stderr is logged here and never put in a message:
     * it may hold paths, account details or tokens.
     */
    public String exitSummary() {
        StringBuilder out = new StringBuilder();
        try {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                out.append(" (exit code ").append(process.exitValue()).append(')');
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (stderrTail) {
            if (!stderrTail.isEmpty()) {
                String tail = String.join(" | ", stderrTail);
                LOG.warning(() -> "claude " + process.pid() + " failed; its last stderr lines: " + tail);
            }
        }
        return out.toString();
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    deliver(new CliOutput.Line(line));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "stdout of claude " + process.pid() + " ended", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endOfOutput();
        }
    }

    private void endOfOutput() {
        try {
            deliver(CliOutput.END);
        } catch (InterruptedException e) {
            discarded = true;
        }
        if (discarded) {
            lines.clear();
            lines.offer(CliOutput.END);
        }
    }

    /** Waits for room in the queue, which is the CLI's back-pressure, unless the process was killed meanwhile. */
    private void deliver(CliOutput output) throws InterruptedException {
        while (!discarded) {
            if (lines.offer(output, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String logged = line;
                LOG.fine(() -> "claude " + process.pid() + " stderr: " + logged);
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES_KEPT) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "stderr of claude " + process.pid() + " ended", e);
        }
    }
}
