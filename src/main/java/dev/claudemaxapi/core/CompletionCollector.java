package dev.claudemaxapi.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Gathers an answer from its events: fed one event at a time, or reading a whole stream with {@link #collect}. */
public final class CompletionCollector {
    private String id = "";
    private String model = "";
    private Usage usage = Usage.ZERO;
    private OptionalDouble costUsd = OptionalDouble.empty();
    private StopReason stopReason = StopReason.END_TURN;
    private final List<BlockType> types = new ArrayList<>();
    private final List<StringBuilder> texts = new ArrayList<>();
    /** The id and name of each tool call, by block index. */
    private final Map<Integer, Event.ToolUseStart> toolCalls = new HashMap<>();
    /** The signature of each thinking block that came with one, by block index. */
    private final Map<Integer, String> signatures = new HashMap<>();

    /**
     * Blocks until the stream ends.
     *
     * @param onEachWait called whenever {@code pollEvery} passes with no event; may throw to give up
     */
    public static Completion collect(EventStream stream, Duration pollEvery, Runnable onEachWait)
            throws InterruptedException {
        CompletionCollector collector = new CompletionCollector();
        while (true) {
            Event event = stream.next(pollEvery);
            if (event == null) {
                onEachWait.run();
            } else if (collector.accept(event)) {
                return collector.completion();
            }
        }
    }

    /** @return true once the message is complete */
    public boolean accept(Event event) {
        switch (event) {
            case Event.MessageStart start -> {
                id = start.id();
                model = start.model();
                usage = start.usage();
            }
            case Event.BlockStart start -> open(start.index(), start.type());
            case Event.ToolUseStart start -> {
                open(start.index(), BlockType.TOOL_USE);
                toolCalls.put(start.index(), start);
            }
            case Event.BlockDelta delta -> texts.get(delta.index()).append(delta.text());
            case Event.BlockSignature signed -> signatures.put(signed.index(), signed.signature());
            case Event.BlockStop ignored -> {
                // blocks are complete once their deltas arrived
            }
            case Event.MessageDelta delta -> {
                stopReason = delta.stopReason();
                usage = delta.usage();
                costUsd = delta.costUsd();
            }
            case Event.MessageStop ignored -> {
                return true;
            }
        }
        return false;
    }

    private void open(int index, BlockType type) {
        while (types.size() <= index) {
            types.add(type);
            texts.add(new StringBuilder());
        }
    }

    /** The answer as gathered so far. */
    public Completion completion() {
        List<ContentBlock> content = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            String text = texts.get(i).toString();
            Event.ToolUseStart call = toolCalls.get(i);
            content.add(switch (types.get(i)) {
                case TEXT -> new ContentBlock.Text(text);
                case THINKING -> new ContentBlock.Thinking(text, signatures.getOrDefault(i, ""));
                // a call without input streams no delta: its input is the empty object
                case TOOL_USE -> new ContentBlock.ToolUse(call.id(), call.name(), text.isEmpty() ? "{}" : text);
            });
        }
        return new Completion(id, model, content, stopReason, usage, costUsd);
    }
}
