package dev.claudemaxapi.http;

import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.CompletionCollector;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.Turn;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one turn for an HTTP call, streaming or not: admission, engine, events to the client, and the end of the
 * engine's work on every path (finished, failed, or client gone).
 *
 * <p>A streamed response waits for the first event (up to {@code firstEventWait}) before it sends its headers, so a
 * failure that comes at once, such as a CLI that is not logged in, still gets its honest status code. After that,
 * failures go in-band in the dialect's form. While the model is silent a heartbeat is written every
 * {@code heartbeat}; a write that fails means the client left, and closing the stream stops the CLI.
 */
final class AnswerRunner {
    private static final Logger LOG = Logger.getLogger(AnswerRunner.class.getName());

    /** How an answer is written in one dialect. */
    record Format(StreamEncoder streamEncoder, Function<Completion, byte[]> completionBody) {}

    private final Engine engine;
    private final Admission admission;
    private final Duration heartbeat;
    private final Duration firstEventWait;

    AnswerRunner(Engine engine, Admission admission, Duration heartbeat, Duration firstEventWait) {
        this.engine = engine;
        this.admission = admission;
        this.heartbeat = heartbeat;
        this.firstEventWait = firstEventWait;
    }

    void run(HttpCall call, Turn turn, boolean stream, Format format) throws IOException, InterruptedException {
        call.log.model = turn.model();
        call.log.streamed = stream;
        Completion completion;
        try (Admission.Permit permit = admission.enter(); EventStream events = engine.start(turn)) {
            call.log.servedAs = events.servedAs();
            if (stream) {
                stream(call, events, format.streamEncoder());
                return;
            }
            completion = CompletionCollector.collect(events, heartbeat, () -> { });
        }
        // Sent after the slot is free, so a client that asks again as soon as it has its answer is not refused.
        call.log.model = completion.model();
        call.log.usage = completion.usage();
        call.sendJson(200, format.completionBody().apply(completion));
    }

    private void stream(HttpCall call, EventStream events, StreamEncoder encoder) throws IOException,
            InterruptedException {
        Event first = awaitFirst(events);
        SseWriter sse = call.startSse();
        try {
            Event event = first;
            while (true) {
                if (event == null) {
                    sse.write(encoder.heartbeat());
                } else {
                    note(call, event);
                    sse.write(encoder.encode(event));
                    if (event instanceof Event.MessageStop) {
                        return;
                    }
                }
                event = events.next(heartbeat);
            }
        } catch (ProxyException failure) {
            call.log.error = failure.getMessage();
            sse.write(encoder.error(failure));
        } catch (RuntimeException bug) {
            // The headers are out, so the handler's 500 could no longer be sent: end the stream in-band instead.
            LOG.log(Level.SEVERE, "unexpected failure while streaming " + call.path(), bug);
            call.log.error = "internal: " + bug;
            sse.write(encoder.error(new ProxyException(ErrorKind.INTERNAL, "Internal server error.")));
        } catch (IOException clientGone) {
            call.log.error = "client disconnected";
            LOG.fine(() -> "client left " + call.path() + "; stopping its answer");
        }
    }

    /** Waits for the first event without committing the response; null if it did not come in time. */
    private Event awaitFirst(EventStream events) throws InterruptedException {
        long deadline = System.nanoTime() + firstEventWait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Event event = events.next(Duration.ofNanos(Math.min(left, heartbeat.toNanos())));
            if (event != null) {
                return event;
            }
        }
    }

    private static void note(HttpCall call, Event event) {
        switch (event) {
            case Event.MessageStart start -> call.log.model = start.model();
            case Event.MessageDelta delta -> call.log.usage = delta.usage();
            default -> {
                // only the model and the final usage are logged
            }
        }
    }
}
