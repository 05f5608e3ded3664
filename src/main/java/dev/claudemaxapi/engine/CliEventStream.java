package dev.claudemaxapi.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.ProxyException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

/**
 * The events of one CLI turn. Translation happens on the reading thread, so nothing runs when nobody reads. The
 * stall timer restarts with every line the CLI prints (retries and status lines included), so long answers are never
 * cut, but a CLI that says nothing for {@code stallTimeout} is ended.
 */
final class CliEventStream implements EventStream {
    private static final Logger LOG = Logger.getLogger(CliEventStream.class.getName());

    private final CliProcess process;
    private final TurnTranslator translator;
    private final CliLineParser parser;
    private final Duration stallTimeout;
    private final Runnable onClose;
    private final Deque<Event> pending = new ArrayDeque<>();
    private long lastOutputNanos = System.nanoTime();
    private boolean done;
    private boolean closed;

    CliEventStream(CliProcess process, TurnTranslator translator, CliLineParser parser, Duration stallTimeout,
            Runnable onClose) {
        this.process = process;
        this.translator = translator;
        this.parser = parser;
        this.stallTimeout = stallTimeout;
        this.onClose = onClose;
    }

    @Override
    public Event next(Duration timeout) throws InterruptedException {
        if (!pending.isEmpty()) {
            return take();
        }
        if (done) {
            throw new IllegalStateException("the stream has ended");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            long stallLeft = lastOutputNanos + stallTimeout.toNanos() - now;
            if (stallLeft <= 0) {
                done = true;
                process.kill();
                throw new ProxyException(ErrorKind.TIMEOUT,
                        "The Claude CLI printed nothing for " + stallTimeout.toSeconds() + " s and was stopped.");
            }
            long waitLeft = deadline - now;
            if (waitLeft <= 0) {
                return null;
            }
            String line = process.nextLine(Duration.ofNanos(Math.min(stallLeft, waitLeft)));
            if (line == null) {
                continue;
            }
            if (line == CliProcess.END) {
                done = true;
                throw new ProxyException(ErrorKind.UPSTREAM_FAILED,
                        "The Claude CLI ended without an answer" + process.exitSummary());
            }
            lastOutputNanos = System.nanoTime();
            translate(line);
            if (!pending.isEmpty()) {
                return take();
            }
        }
    }

    private void translate(String line) {
        CliLine parsed;
        try {
            parsed = parser.parse(line);
        } catch (JsonProcessingException e) {
            LOG.fine(() -> "claude " + process.pid() + " printed a non-JSON line: " + line);
            return;
        }
        try {
            pending.addAll(translator.accept(parsed));
        } catch (ProxyException failure) {
            done = true;
            throw failure;
        }
    }

    private Event take() {
        Event event = pending.removeFirst();
        if (event instanceof Event.MessageStop) {
            done = true;
        }
        return event;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!translator.finished()) {
            process.kill();
        } else {
            process.closeInput();
        }
        onClose.run();
    }
}
