package dev.claudemaxapi.engine;

import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Turn;
import java.time.Instant;
import java.util.List;

/** A CLI process and the conversation it holds, from its spawn to its last turn. Used by one thread at a time. */
final class CliSession {
    private final CliProcess process;
    private final String spawnModel;
    private final Instant born;
    private int turns;
    private Instant idleSince;

    CliSession(CliProcess process, String spawnModel, Instant born) {
        this.process = process;
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
     * turn), the model if it differs from the one spawned with (clean before the first turn), then the conversation.
     */
    void sendFirstTurn(Turn turn, PromptEncoder prompts) {
        process.send(prompts.initializeLine("init", turn.system().orElse("")));
        if (!turn.model().equals(spawnModel)) {
            process.send(prompts.setModelLine("model", turn.model()));
        }
        process.send(prompts.userLine(turn));
        turns++;
    }

    /** Continues the conversation with only the messages that are new since the last answer. */
    void sendFollowUp(List<Message> newMessages, PromptEncoder prompts) {
        process.send(prompts.followUpLine(newMessages));
        turns++;
    }
}
