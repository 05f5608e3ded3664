package dev.claudemaxapi.engine;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.PlanWindow;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.engine.cli.CliEventStream;
import dev.claudemaxapi.engine.cli.CliLine;
import dev.claudemaxapi.engine.cli.PromptEncoder;
import dev.claudemaxapi.engine.pool.CliSession;
import dev.claudemaxapi.engine.pool.SessionPool;
import java.util.List;

/**
 * A turn's stream talking back to the process it runs in, handing that process back to the pool at its end, and
 * passing on what the CLI says of the plan's windows.
 */
record SessionTurnHost(SessionPool pool, CliSession session, Turn turn, PromptEncoder prompts, PlanLimits plan)
        implements CliEventStream.TurnHost {

    @Override
    public void answerMcp(CliLine.McpRequest request) {
        session.answerMcp(request);
    }

    @Override
    public void remind(String reminder) {
        String uuid = CliSession.newUuid();
        session.sendWithinTurn(prompts.reminderLine(reminder, uuid), uuid);
    }

    @Override
    public void planWindow(PlanWindow window) {
        plan.observe(window);
    }

    @Override
    public double turnCost(double processTotalUsd) {
        return session.turnCost(processTotalUsd);
    }

    @Override
    public void ended(CliEventStream.Outcome outcome, List<ContentBlock> answer) {
        pool.release(session, outcome, turn, answer);
    }
}
