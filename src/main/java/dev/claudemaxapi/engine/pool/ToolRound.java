package dev.claudemaxapi.engine.pool;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Turn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Whether a request brings the results of a waiting process's tool calls, and nothing else. */
final class ToolRound {
    private ToolRound() {}

    /**
     * The results the request's new input holds, when it is exactly one result for each pending call (in any order)
     * and no other content: only then can the waiting process take them as they are.
     */
    static Optional<List<ContentBlock.ToolResult>> resultsFor(Turn turn, List<String> pending) {
        List<Message> messages = turn.messages();
        int lastAssistant = Message.lastAssistantIndex(messages);
        if (pending.isEmpty() || lastAssistant < 0) {
            return Optional.empty();
        }
        List<ContentBlock.ToolResult> results = new ArrayList<>();
        for (Message message : messages.subList(lastAssistant + 1, messages.size())) {
            for (ContentBlock block : message.content()) {
                if (!(block instanceof ContentBlock.ToolResult result)) {
                    return Optional.empty();
                }
                results.add(result);
            }
        }
        List<String> ids = results.stream().map(ContentBlock.ToolResult::toolUseId).toList();
        boolean exact = ids.size() == pending.size() && new HashSet<>(ids).equals(new HashSet<>(pending));
        return exact ? Optional.of(results) : Optional.empty();
    }
}
