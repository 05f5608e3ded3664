package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import java.util.ArrayList;
import java.util.List;

/** Writes a whole answer as an Anthropic {@code message}. */
public final class MessagesResponseEncoder {
    private final ObjectMapper json;

    public MessagesResponseEncoder(ObjectMapper json) {
        this.json = json;
    }

    public byte[] encode(Completion completion, ThinkingBlocks thinkingBlocks) {
        List<MessagesWire.Block> blocks = new ArrayList<>();
        for (ContentBlock block : completion.content()) {
            switch (block) {
                case ContentBlock.Text text -> blocks.add(MessagesWire.Block.text(text.text()));
                case ContentBlock.Thinking thinking -> {
                    if (thinkingBlocks == ThinkingBlocks.SHOWN) {
                        blocks.add(MessagesWire.Block.thinking(thinking.thinking(), thinking.signature()));
                    }
                }
                case ContentBlock.ToolUse call ->
                        blocks.add(MessagesWire.Block.toolUse(call.id(), call.name(), Json.tree(json, call.inputJson())));
                case ContentBlock.Image ignored -> {
                    // answers hold no images
                }
                case ContentBlock.ToolResult ignored -> {
                    // answers hold no tool results
                }
            }
        }
        return Json.write(json, new MessagesWire.MessageResponse(completion.id(), "message", "assistant",
                completion.model(), blocks, completion.stopReason().wireName(),
                MessagesWire.stopSequence(completion.stopReason()),
                MessagesWire.WireUsage.of(completion.usage())));
    }

    public MessagesStreamEncoder streamEncoder(ThinkingBlocks thinkingBlocks) {
        return new MessagesStreamEncoder(json, thinkingBlocks);
    }

    public byte[] tokenCount(long inputTokens) {
        return Json.write(json, new MessagesWire.TokenCount(inputTokens));
    }
}
