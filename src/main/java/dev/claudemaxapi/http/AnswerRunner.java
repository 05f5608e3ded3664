package dev.claudemaxapi.http;

import dev.claudemaxapi.core.Admission;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.CompletionCollector;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.Turn;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one answer for an HTTP call, streaming or not: admission, body, decoding, engine, events to the client, and
 * the end of the engine's work on every path (finished, failed, client gone, server shutting down).
 *
 * <p>A request waits in the queue with its body read but not parsed (the body budget bounds those bytes). A streamed
 * response waits for the first event (up to {@code firstEventWait}) before it sends its headers, so a failure that
 * comes at once, such as a CLI that is not logged in, still gets its honest status code. After that, failures go
 * in-band in the dialect's form. While the model is silent a heartbeat is written every {@code heartbeat}; a write
 * that fails or times out means the client left, and closing the stream stops the CLI. Before anything is written
 * (a non-streaming answer, or the wait for the first event) a client that hangs up is noticed with {@link PeerProbe}.
 */
final class AnswerRunner {
    private static final Logger LOG = Logger.getLogger(AnswerRunner.class.getName());
    /** What the log line says of a request whose client left. */
    private static final String CLIENT_GONE = "client disconnected";

    /** How an answer is written in one dialect. */
    record Format(StreamEncoder streamEncoder, Function<Completion, byte[]> completionBody) {}

    /** A request decoded by its dialect. */
    record Request(Turn turn, String requestedModel, boolean stream, Format format) {}

    /** Thrown out of a wait when the client is found gone; never leaves this class. */
    private static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGone() {
            super(CLIENT_GONE, null, false, false);
        }
    }

    private final Engine engine;
    private final Admission admission;
    private final Duration heartbeat;
    private final Duration firstEventWait;
    private final Shutdown shutdown;
    private final PlanLimits plan;

    AnswerRunner(Engine engine, Admission admission, Duration heartbeat, Duration firstEventWait, Shutdown shutdown,
            PlanLimits plan) {
        this.plan = plan;
        this.engine = engine;
        this.admission = admission;
        this.heartbeat = heartbeat;
        this.firstEventWait = firstEventWait;
        this.shutdown = shutdown;
    }

    /** How an answer ended on the engine's side, for what is sent once its slot is free. */
    private sealed interface Outcome {
        /** A stream; its writer ends the response, unless the client is already gone. */
        record Streamed(Optional<SseWriter> writer) implements Outcome {}

        /** A whole answer, to be sent as one JSON body. */
        record Answered(Completion completion, Format format) implements Outcome {}
    }

    /**
     * @throws ProxyException 429 at once while the plan rejects requests, and for a plan limit the CLI ran into,
     *     with the plan's reset as {@code Retry-After}
     */
    void run(HttpCall call, BiFunction<byte[], Caller, Request> decoder) throws IOException, InterruptedException {
        call.log.answer = true;
        // no CLI is started to hear again what the last one said: the plan refuses until its reset
        plan.checkNotRejected();
        try {
            answer(call, decoder);
        } catch (ProxyException failure) {
            if (failure.kind() == ErrorKind.RATE_LIMITED && failure.retryAfter().isEmpty()) {
                // the CLI reported the window first: its reset is the honest Retry-After
                plan.checkNotRejected();
            }
            throw failure;
        }
    }

    private void answer(HttpCall call, BiFunction<byte[], Caller, Request> decoder) throws IOException,
            InterruptedException {
        Outcome outcome;
        // The body is read first (within the body budget): a request is complete once read, so the JDK's request
        // timer never cuts one that waits in the queue; it is parsed only once admitted.
        byte[] body = call.body();
        try (Admission.Permit permit = admission.enter()) {
            Caller caller = call.caller().orElse(Caller.ANONYMOUS);
            Request request = decoder.apply(body, caller);
            Turn turn = request.turn().withCaller(caller);
            call.log.model = request.requestedModel();
            call.log.streamed = request.stream();
            try (EventStream events = engine.start(turn)) {
                call.log.servedAs = events.servedAs();
                call.log.model = turn.model();
                outcome = request.stream()
                        ? new Outcome.Streamed(stream(call, events, request.format().streamEncoder()))
                        : new Outcome.Answered(
                                CompletionCollector.collect(events, heartbeat, () -> checkWaiting(call)),
                                request.format());
            } catch (ClientGone gone) {
                call.log.status = 499;
                call.log.error = gone.getMessage();
                LOG.fine(() -> "client left " + call.path() + " before its answer; stopping it");
                return;
            }
        }
        // The response ends after the engine's stream is closed and the slot is free, so a client that asks again
        // as soon as it has its answer is not refused.
        switch (outcome) {
            case Outcome.Streamed streamed -> streamed.writer().ifPresent(sse -> end(call, sse));
            case Outcome.Answered answered -> {
                call.log.model = answered.completion().model();
                call.log.usage = answered.completion().usage();
                call.log.costUsd = answered.completion().costUsd();
                call.sendJson(200, answered.format().completionBody().apply(answered.completion()));
            }
        }
    }

    private static void end(HttpCall call, SseWriter sse) {
        try {
            sse.close();
        } catch (IOException clientGone) {
            call.log.error = CLIENT_GONE;
        }
    }

    /** Between polls of an answer nobody has been sent anything of yet. */
    private void checkWaiting(HttpCall call) {
        if (call.clientGone()) {
            throw new ClientGone();
        }
        shutdown.checkNotCutting();
    }

    /** @return the stream's writer, to be ended by the caller; empty when the client is gone */
    private Optional<SseWriter> stream(HttpCall call, EventStream events, StreamEncoder encoder) throws IOException,
            InterruptedException {
        Event first = awaitFirst(call, events);
        SseWriter sse;
        try {
            sse = call.startSse();
        } catch (IOException clientGone) {
            call.log.error = CLIENT_GONE;
            return Optional.empty();
        }
        try {
            try {
                Event event = first;
                while (true) {
                    if (event == null) {
                        sse.write(encoder.heartbeat());
                    } else {
                        note(call, event);
                        if (event instanceof Event.MessageStop) {
                            // The engine gets its process back before the client learns the answer is complete,
                            // so a client that asks again at once finds the conversation's process waiting.
                            events.close();
                            sse.write(encoder.encode(event));
                            return Optional.of(sse);
                        }
                        sse.write(encoder.encode(event));
                    }
                    shutdown.checkNotCutting();
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
            }
            return Optional.of(sse);
        } catch (IOException clientGone) {
            call.log.error = CLIENT_GONE;
            LOG.fine(() -> "client left " + call.path() + "; stopping its answer");
            return Optional.empty();
        }
    }

    /** Waits for the first event without committing the response; null if it did not come in time. */
    private Event awaitFirst(HttpCall call, EventStream events) throws InterruptedException {
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
            checkWaiting(call);
        }
    }

    private static void note(HttpCall call, Event event) {
        switch (event) {
            case Event.MessageStart start -> call.log.model = start.model();
            case Event.MessageDelta delta -> {
                call.log.usage = delta.usage();
                call.log.costUsd = delta.costUsd();
            }
            case Event.BlockDelta delta when call.log.firstTokenNanos.isEmpty() && !delta.text().isEmpty() ->
                    call.log.firstTokenNanos = OptionalLong.of(System.nanoTime());
            default -> {
                // only the model and the final usage are logged
            }
        }
    }
}
