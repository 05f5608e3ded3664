package dev.claudemaxapi.engine.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.Tool;
import dev.claudemaxapi.core.Tools;
import dev.claudemaxapi.core.Turn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A fingerprint of a conversation so far: who it belongs to (the API key's identity, so no other key can continue
 * it), model, system prompt, and every message with its role and content blocks.
 * A live CLI process is filed under the fingerprint of its conversation including the answer it just gave; a request
 * continues it only if its history hashes to exactly that, so an edited, truncated or branched history never lands
 * in the wrong process.
 *
 * <p>Blocks are compared as clients send them back: thinking is dropped (the decoders drop it too) and adjacent text
 * blocks are joined, because an OpenAI client returns an answer as one string however many blocks it had.
 */
final class ConversationKey {
    private static final ObjectMapper CANONICAL = new ObjectMapper();

    private ConversationKey() {}

    /**
     * Where a live process is filed after a completed turn.
     *
     * @param conversation the whole conversation, its answer included: a request that sends it back plus new user
     *                     input continues the process
     * @param history      the conversation before the turn's user input, when it had an earlier exchange: a request
     *                     that sends it back plus other (or the same) user input edits or regenerates that turn
     */
    record Filing(String conversation, Optional<String> history) {}

    /** Where a process waiting inside the tool calls of {@code answer} is filed: only under the whole conversation. */
    static Filing afterToolCalls(Turn turn, List<ContentBlock> answer) {
        return new Filing(afterTurn(turn, answer).conversation(), Optional.empty());
    }

    static Filing afterTurn(Turn turn, List<ContentBlock> answer) {
        List<Message> conversation = new ArrayList<>(turn.messages());
        conversation.add(new Message(Role.ASSISTANT, answer));
        // A turn that brought tool results wrote no user line of its own to a waiting process, so rewinding its "last
        // turn" would go back too far: it is not filed for an edit or a regenerate.
        return new Filing(of(turn.caller(), turn.model(), turn.system(), turn.tools(), turn.options().outputSchema(),
                conversation),
                sentBefore(turn).filter(key -> !bringsToolResults(turn)));
    }

    /**
     * What a request sent before its new user input, when that ends with an answer: the key under which a live
     * process may hold it. Empty for a new conversation or a request that ends with an assistant message.
     */
    private static boolean bringsToolResults(Turn turn) {
        List<Message> messages = turn.messages();
        return messages.subList(Message.lastAssistantIndex(messages) + 1, messages.size()).stream()
                .flatMap(message -> message.content().stream()).anyMatch(ContentBlock.ToolResult.class::isInstance);
    }

    static Optional<String> sentBefore(Turn turn) {
        List<Message> messages = turn.messages();
        int lastAssistant = Message.lastAssistantIndex(messages);
        if (lastAssistant < 0 || lastAssistant == messages.size() - 1) {
            return Optional.empty();
        }
        return Optional.of(of(turn.caller(), turn.model(), turn.system(), turn.tools(), turn.options().outputSchema(),
                messages.subList(0, lastAssistant + 1)));
    }

    static String of(Caller caller, String model, Optional<String> system, Tools tools, List<Message> messages) {
        return of(caller, model, system, tools, Optional.empty(), messages);
    }

    /** @param outputSchema the response schema its process was started with: only that process can continue it */
    static String of(Caller caller, String model, Optional<String> system, Tools tools,
            Optional<String> outputSchema, List<Message> messages) {
        MessageDigest digest = sha256();
        field(digest, "caller", caller.id());
        field(digest, "model", model);
        field(digest, "system", system.orElse(""));
        field(digest, "output schema", outputSchema.orElse(""));
        // the tools the process offers: another tool list must not continue it
        for (Tool tool : tools.upstream()) {
            field(digest, "tool", tool.name());
            field(digest, "description", tool.description().orElse(""));
            field(digest, "schema", tool.inputSchema());
        }
        for (Message message : messages) {
            field(digest, "role", message.role().name());
            StringBuilder text = new StringBuilder();
            for (ContentBlock block : message.content()) {
                switch (block) {
                    case ContentBlock.Text t -> text.append(t.text());
                    case ContentBlock.Thinking ignored -> {
                        // clients may or may not send reasoning back; it never counts
                    }
                    case ContentBlock.Image image -> {
                        flushText(digest, text);
                        field(digest, "image", image.mediaType());
                        field(digest, "data", image.base64Data());
                    }
                    case ContentBlock.ToolUse use -> {
                        flushText(digest, text);
                        field(digest, "tool_use", use.id());
                        field(digest, "name", use.name());
                        field(digest, "input", canonical(use.inputJson()));
                    }
                    case ContentBlock.ToolResult result -> {
                        flushText(digest, text);
                        field(digest, "tool_result", result.toolUseId());
                        field(digest, "content", of(caller, "", Optional.empty(), Tools.NONE,
                                List.of(new Message(message.role(), result.content()))));
                        field(digest, "error", Boolean.toString(result.isError()));
                    }
                }
            }
            flushText(digest, text);
            field(digest, "end", "");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A tool call's input as compact JSON: the model's own spacing, and the client's when it sends the call back
     * as an object or as a string, must not make one conversation two.
     */
    private static String canonical(String inputJson) {
        try {
            return CANONICAL.readTree(inputJson).toString();
        } catch (JsonProcessingException notJson) {
            return inputJson;
        }
    }

    private static void flushText(MessageDigest digest, StringBuilder text) {
        if (!text.isEmpty()) {
            field(digest, "text", text.toString());
            text.setLength(0);
        }
    }

    /** Length-prefixed, so no choice of contents can make two different conversations hash alike. */
    private static void field(MessageDigest digest, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
