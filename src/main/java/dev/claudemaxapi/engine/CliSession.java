package dev.claudemaxapi.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.claudemaxapi.core.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A CLI process and the conversation it holds, from its spawn to its last turn. Used by one thread at a time. */
final class CliSession {
    private final CliProcess process;
    private final CliLineParser parser;
    private final String spawnModel;
    private final Instant born;
    private int turns;
    private Instant idleSince;
    /** Set once a first turn fixed them: a recycled process keeps its model and system prompt. */
    private String model;
    private Optional<String> system;
    private boolean recycled;

    CliSession(CliProcess process, CliLineParser parser, String spawnModel, Instant born) {
        this.process = process;
        this.parser = parser;
        this.spawnModel = spawnModel;
        this.born = born;
        this.idleSince = born;
    }

    CliProcess process() {
        return process;
    }

    String spawnModel() {
        return spawnModel;
    }

    Instant born() {
        return born;
    }

    int turns() {
        return turns;
    }

    Instant idleSince() {
        return idleSince;
    }

    void markIdle(Instant now) {
        idleSince = now;
    }

    /**
     * Starts the first turn: the system prompt (an {@code initialize} request, which only works before the first
     * turn), the model if it differs from the one spawned with (clean before the first turn), then the conversation,
     * already encoded as {@code userLine}.
     */
    void sendFirstTurn(Turn turn, String userLine, PromptEncoder prompts) {
        if (!recycled) {
            process.send(prompts.initializeLine("init", turn.system().orElse("")));
            if (!turn.model().equals(spawnModel)) {
                process.send(prompts.setModelLine("model", turn.model()));
            }
        }
        model = turn.model();
        system = turn.system();
        recycled = false;
        process.send(userLine);
        turns++;
    }

    /** Whether this recycled process can start a conversation on this model with this system prompt. */
    boolean fits(String model, Optional<String> system) {
        return recycled && model.equals(this.model) && system.equals(this.system);
    }

    /** Whether its conversation runs on this model with this system prompt. */
    boolean runs(String model, Optional<String> system) {
        return model.equals(this.model) && system.equals(this.system);
    }

    boolean recycled() {
        return recycled;
    }

    /**
     * Stops the turn in progress with an {@code interrupt} control request and reads the rest of its output.
     *
     * @return true once the turn's {@code result} line came: the process is idle again
     */
    boolean interrupt(Duration timeout) throws InterruptedException {
        process.send(PromptEncoder.INTERRUPT_LINE);
        return awaitResult(timeout) != null;
    }

    /** Reads output up to the next {@code result} line; null if none came in time or the process ended. */
    private CliLine.Result awaitResult(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<CliOutput> output = process.next(Duration.ofNanos(deadline - System.nanoTime()));
            if (output.isEmpty() || !(output.get() instanceof CliOutput.Line line)) {
                return null;
            }
            try {
                if (parser.parse(line.text()) instanceof CliLine.Result result) {
                    return result;
                }
            } catch (JsonProcessingException notJson) {
                // the CLI printed something else; the result line is still to come
            }
        }
        return null;
    }

    /**
     * Starts a new, empty conversation in this process with {@code /clear}, keeping its model and system prompt.
     *
     * @return false if the CLI did not confirm in time; the process must then be stopped
     */
    boolean clear(Duration timeout) throws InterruptedException {
        if (model == null || !process.checkIdle()) {
            return false;
        }
        process.send(PromptEncoder.CLEAR_LINE);
        CliLine.Result result = awaitResult(timeout);
        recycled = result != null && !result.isError();
        return recycled;
    }

    /** Continues the conversation with only the messages that are new since the last answer, already encoded. */
    void sendFollowUp(String followUpLine) {
        process.send(followUpLine);
        turns++;
    }
}
