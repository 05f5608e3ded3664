package dev.claudemaxapi.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.claudemaxapi.core.CompletionCollector;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.PlanWindow;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.engine.process.CliOutput;
import dev.claudemaxapi.engine.process.CliProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.logging.Logger;

/**
 * The events of one CLI turn, in a process that may live on after it. Translation happens on the reading thread, so
 * nothing runs when nobody reads. The stall timer restarts with every line the CLI prints (retries and status lines
 * included), so long answers are never cut, but a CLI that says nothing for {@code stallTimeout} fails the turn. The
 * stream decides nothing about the process: when it is closed it tells {@link TurnHost} how the turn ended.
 */
public final class CliEventStream implements EventStream {
    private static final Logger LOG = Logger.getLogger(CliEventStream.class.getName());

    /** How a turn ended, for whoever decides the fate of its process. */
    public enum Outcome {
        COMPLETED,
        FAILED,
        /** The reader left before the turn ended: it may still run. */
        CANCELLED,
        /** The reader left after the CLI's last line of the turn: nothing runs, but the answer was not taken. */
        LEFT_AFTER_TURN,
        /** The answer ended with calls of the client's tools: the CLI waits inside them for the results. */
        CALLED_TOOLS,
        /** The answer ended before the CLI's turn did (a stop sequence, an output cap): the turn may still run. */
        CUT_SHORT
    }

    /** The process's side of a turn, which this stream calls back from its reading thread. */
    public interface TurnHost {
        /** Answers a message of the CLI's client-tool server, now or when the client brings a result. */
        void answerMcp(CliLine.McpRequest request);

        /** Sends the model a reminder as one more user message: the answer goes on with the reply to it. */
        void remind(String reminder);

        /** Told once, when the stream is closed. */
        void ended(Outcome outcome, List<ContentBlock> answer);

        /** Told what the CLI reported of the plan's usage windows. */
        void planWindow(PlanWindow window);

        /**
         * The cost of the turn that just ended, from the CLI's total for its process so far.
         *
         * @param processTotalUsd the result line's {@code total_cost_usd}, which sums every turn of the process
         */
        double turnCost(double processTotalUsd);
    }

    private final CliProcess process;
    private final TurnTranslator translator;
    private final CliLineParser parser;
    private final Duration stallTimeout;
    private final Clock clock;
    private final String servedAs;
    private final TurnHost host;
    private final Deque<Event> pending = new ArrayDeque<>();
    private final CompletionCollector answer = new CompletionCollector();
    private Instant lastOutput;
    private boolean done;
    private boolean failed;
    private boolean completed;
    private boolean resultRead;
    private boolean closed;

    public CliEventStream(CliProcess process, TurnTranslator translator, CliLineParser parser, Duration stallTimeout,
            Clock clock, String servedAs, TurnHost host) {
        this.process = process;
        this.translator = translator;
        this.parser = parser;
        this.stallTimeout = stallTimeout;
        this.clock = clock;
        this.lastOutput = clock.instant();
        this.servedAs = servedAs;
        this.host = host;
    }

    @Override
    public String servedAs() {
        return servedAs;
    }

    @Override
    public Event next(Duration timeout) throws InterruptedException {
        if (!pending.isEmpty()) {
            return take();
        }
        if (done) {
            throw new IllegalStateException("the stream has ended");
        }
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Instant now = clock.instant();
            Duration stallLeft = Duration.between(now, lastOutput.plus(stallTimeout));
            if (!stallLeft.isPositive()) {
                // failed: whoever owns the process stops it when the stream is closed
                done = true;
                failed = true;
                throw new ProxyException(ErrorKind.TIMEOUT,
                        "The Claude CLI printed nothing for " + stallTimeout.toSeconds() + " s and was stopped.");
            }
            Duration waitLeft = Duration.between(now, deadline);
            if (!waitLeft.isPositive()) {
                return null;
            }
            boolean callersWait = waitLeft.compareTo(stallLeft) <= 0;
            Optional<CliOutput> output = process.next(callersWait ? waitLeft : stallLeft);
            if (output.isEmpty()) {
                if (callersWait) {
                    return null;
                }
                continue;
            }
            switch (output.get()) {
                case CliOutput.End end -> {
                    done = true;
                    failed = true;
                    throw new ProxyException(ErrorKind.UPSTREAM_FAILED,
                            "The Claude CLI ended without an answer" + process.exitSummary());
                }
                case CliOutput.Line line -> {
                    lastOutput = clock.instant();
                    translate(line.text());
                }
            }
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
        if (parsed instanceof CliLine.PlanLimit limit) {
            host.planWindow(limit.window(clock.instant()));
            return;
        }
        if (parsed instanceof CliLine.McpRequest request) {
            // the handshake of the client-tool server, answered at once; a tool call waits for the client
            host.answerMcp(request);
            return;
        }
        OptionalDouble cost = OptionalDouble.empty();
        if (parsed instanceof CliLine.Result result) {
            resultRead = true;
            if (result.totalCostUsd().isPresent()) {
                cost = OptionalDouble.of(host.turnCost(result.totalCostUsd().getAsDouble()));
            }
        }
        try {
            for (Event event : translator.accept(parsed)) {
                // the answer that ends with this result carries what its turn cost, as the CLI reports it
                pending.add(event instanceof Event.MessageDelta delta && cost.isPresent()
                        ? delta.withCost(cost.getAsDouble()) : event);
            }
            translator.takeReminder().ifPresent(reminder -> {
                // the CLI's turn goes on with the reply to it: the result read so far did not end this answer
                resultRead = false;
                host.remind(reminder);
            });
        } catch (ProxyException failure) {
            done = true;
            failed = true;
            throw failure;
        }
    }

    private Event take() {
        Event event = pending.removeFirst();
        if (answer.accept(event)) {
            done = true;
            completed = true;
        }
        return event;
    }

    /** An answer the client got whole: its turn is over once the CLI said so, unless it waits inside tool calls. */
    private Outcome completedOutcome() {
        if (answer.completion().stopReason() == StopReason.TOOL_USE) {
            return Outcome.CALLED_TOOLS;
        }
        return resultRead ? Outcome.COMPLETED : Outcome.CUT_SHORT;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Outcome outcome = completed ? completedOutcome()
                : failed ? Outcome.FAILED
                : resultRead ? Outcome.LEFT_AFTER_TURN : Outcome.CANCELLED;
        host.ended(outcome, answer.completion().content());
    }
}
