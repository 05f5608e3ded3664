package dev.claudemaxapi.api.anthropic;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Tool;
import dev.claudemaxapi.core.ToolChoice;
import dev.claudemaxapi.core.Turn;
import java.util.List;

/**
 * A local estimate for {@code count_tokens}: no CLI call, no upstream request. Claude's tokenizer is not public, so
 * text counts as one token per ~3.5 characters (English prose and code average close to that), each image as the
 * Messages API's upper bound for a resized image, plus a small overhead per message.
 */
public final class TokenEstimator {
    private TokenEstimator() {}

    static final int TOKENS_PER_IMAGE = 1600;
    static final int TOKENS_PER_MESSAGE = 4;
    static final double CHARS_PER_TOKEN = 3.5;

    /**
     * The system prompt the Messages API adds when tools are offered, as its documentation gives it for current
     * models: for {@code auto} or {@code none}, and for {@code any} or a named tool.
     */
    static final int TOOL_PROMPT_AUTO = 346;
    static final int TOOL_PROMPT_FORCED = 313;

    public static long estimate(Turn turn) {
        long chars = turn.system().map(String::length).orElse(0);
        long tokens = 0;
        List<Tool> tools = turn.tools().upstream();
        if (!tools.isEmpty()) {
            boolean forced = turn.tools().choice() instanceof ToolChoice.Any
                    || turn.tools().choice() instanceof ToolChoice.Named;
            tokens += forced ? TOOL_PROMPT_FORCED : TOOL_PROMPT_AUTO;
            for (Tool tool : tools) {
                chars += tool.name().length() + tool.description().map(String::length).orElse(0)
                        + tool.inputSchema().length();
            }
        }
        for (Message message : turn.messages()) {
            tokens += TOKENS_PER_MESSAGE;
            for (ContentBlock block : message.content()) {
                long[] counted = count(block);
                chars += counted[0];
                tokens += counted[1];
            }
        }
        return tokens + (long) Math.ceil(chars / CHARS_PER_TOKEN);
    }

    /** @return characters of text, and tokens counted directly (images) */
    private static long[] count(ContentBlock block) {
        return switch (block) {
            case ContentBlock.Text text -> new long[] {text.text().length(), 0};
            case ContentBlock.Image ignored -> new long[] {0, TOKENS_PER_IMAGE};
            case ContentBlock.ToolUse use -> new long[] {use.name().length() + use.inputJson().length(), 0};
            case ContentBlock.ToolResult result -> {
                long chars = 0;
                long tokens = 0;
                for (ContentBlock part : result.content()) {
                    long[] inner = count(part);
                    chars += inner[0];
                    tokens += inner[1];
                }
                yield new long[] {chars, tokens};
            }
            case ContentBlock.Thinking ignored -> new long[] {0, 0};
        };
    }
}
