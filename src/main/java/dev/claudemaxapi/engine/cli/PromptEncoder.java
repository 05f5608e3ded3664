package dev.claudemaxapi.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Effort;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.core.ThinkingBudget;
import dev.claudemaxapi.core.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link Turn} as the stream-json user message the CLI reads on stdin.
 *
 * <p>A fresh CLI process takes one user message per turn, so earlier turns of the conversation travel inside it: as a
 * JSON array of messages between {@code <conversation_history>} tags, in which every {@code <} and {@code >} is
 * written as a JSON escape. A client's text therefore cannot close the block or fake a turn of another role: the
 * roles are JSON fields that only this encoder writes. Images of earlier turns are real image blocks after the
 * history, referenced from it by number, so they reach the model as images.
 */
public final class PromptEncoder {

    static final String HISTORY_INTRO = "This interface sends one message per request, so the earlier turns of this"
            + " conversation are given here as a JSON array of messages, oldest first. They are the real conversation:"
            + " \"user\" entries were written by the user and \"assistant\" entries are your own earlier replies."
            + " {\"type\":\"image\",\"ref\":N} stands for the N-th image attached after this history.\n";
    static final String CURRENT_INTRO = "The user's new message follows.";
    static final String CONTINUE_NOTE = "Continue your last reply in the history exactly where it stops, without"
            + " repeating any of it.";

    private final ObjectMapper json;
    private final ObjectWriter historyWriter;

    public PromptEncoder(ObjectMapper json) {
        this.json = json;
        this.historyWriter = json.writer().with(new AngleBracketEscapes());
    }

    /**
     * The whole stdin line (without the newline). {@code uuid} is the proxy's own id of this user message: the CLI
     * keeps it, so the conversation can later be rewound to it.
     */
    public String userLine(Turn turn, String uuid) {
        return userMessageLine(withRules(content(turn.messages()), turn), uuid);
    }

    /** The stdin line for a follow-up turn of a live conversation: only the new user messages, as they are. */
    public String followUpLine(Turn turn, List<Message> newUserMessages, String uuid) {
        ArrayNode content = json.createArrayNode();
        addMessages(content, newUserMessages);
        return userMessageLine(withRules(content, turn), uuid);
    }

    /** A user line of the proxy's own, such as the reminder {@link ToolRules} sends when a required call is missing. */
    public String reminderLine(String reminder, String uuid) {
        ArrayNode content = json.createArrayNode();
        content.addObject().put("type", "text").put("text", reminder);
        return userMessageLine(content, uuid);
    }

    /** The turn's tool rules, if they restrict the model, as a last block of its message. */
    private ArrayNode withRules(ArrayNode content, Turn turn) {
        // the user's own last text stays guarded though it is no longer the last block
        guardSlashCommand(content);
        new ToolRules(turn.tools()).instruction()
                .ifPresent(rule -> content.addObject().put("type", "text").put("text", rule));
        return content;
    }

    private String userMessageLine(ArrayNode content, String uuid) {
        ObjectNode line = json.createObjectNode();
        line.put("type", "user");
        ObjectNode message = line.putObject("message");
        message.put("role", "user");
        message.set("content", guardSlashCommand(content));
        line.put("uuid", uuid);
        return write(json.writer(), line);
    }

    /**
     * Removes the user message {@code targetUuid} and everything after it from the conversation: rewound to its
     * first message, the process holds an empty conversation, as if just started. {@code lastSeenUuid} is the newest
     * user message sent, which the CLI requires once later turns exist.
     */
    public String rewindLine(String requestId, String targetUuid, String lastSeenUuid, TurnInProgress turn) {
        ControlRequest control = ControlRequest.of(json, requestId, "rewind_conversation");
        control.request().put("target_message_uuid", targetUuid);
        control.request().put("last_seen_user_message_uuid", lastSeenUuid);
        if (turn == TurnInProgress.MAYBE) {
            control.request().put("interrupt_if_running", true);
        }
        return write(json.writer(), control.line());
    }

    /** Whether a turn may still be running when a control request is sent. */
    public enum TurnInProgress { NONE, MAYBE }

    /**
     * The CLI runs a message whose last text block starts with {@code /} as one of its own commands ({@code /cost},
     * {@code /config ...}) instead of sending it to the model; a leading space makes it plain text again.
     */
    private static ArrayNode guardSlashCommand(ArrayNode content) {
        for (int i = content.size() - 1; i >= 0; i--) {
            JsonNode block = content.get(i);
            if ("text".equals(block.path("type").asText())) {
                String text = block.path("text").asText();
                if (text.startsWith("/")) {
                    ((ObjectNode) block).put("text", " " + text);
                }
                break;
            }
        }
        return content;
    }

    /** The initialize control request that sets the system prompt before the first turn. */
    /** Disconnects the client-tool server of an earlier conversation, for one without tools. */
    public String disconnectToolsLine(String requestId) {
        return ClientToolServer.disconnectLine(json, requestId);
    }

    public String initializeLine(String requestId, String systemPrompt, Optional<String> outputSchema) {
        ControlRequest control = ControlRequest.of(json, requestId, "initialize");
        control.request().putArray("systemPrompt").add(systemPrompt);
        // only the first initialize of a process sets it; the CLI then offers its StructuredOutput tool
        outputSchema.ifPresent(schema -> control.request().set("jsonSchema", parseInput(schema)));
        return write(json.writer(), control.line());
    }

    /**
     * Caps the tokens each model call may write ({@code CLAUDE_CODE_MAX_OUTPUT_TOKENS}, sent upstream as
     * {@code max_tokens}); an empty {@code tokens} goes back to the CLI's own cap. Clearing the env block does not
     * undo it, only an empty value does.
     */
    public String outputCapLine(String requestId, String tokens) {
        ControlRequest control = ControlRequest.of(json, requestId, "apply_flag_settings");
        control.request().putObject("settings").putObject("env").put("CLAUDE_CODE_MAX_OUTPUT_TOKENS", tokens);
        return write(json.writer(), control.line());
    }

    /** Sets the CLI's effort level; an empty {@code effort} goes back to its default (medium). */
    public String effortLine(String requestId, Optional<Effort> effort) {
        ControlRequest control = ControlRequest.of(json, requestId, "apply_flag_settings");
        ObjectNode settings = control.request().putObject("settings");
        effort.ifPresentOrElse(level -> settings.put("effortLevel", level.cliName()),
                () -> settings.putNull("effortLevel"));
        return write(json.writer(), control.line());
    }

    /** Sets the thinking budget: none, a number of tokens, or (null) the CLI's default. */
    public String thinkingLine(String requestId, ThinkingBudget budget) {
        ControlRequest control = ControlRequest.of(json, requestId, "set_max_thinking_tokens");
        switch (budget) {
            case ThinkingBudget.CliDefault ignored -> control.request().putNull("max_thinking_tokens");
            case ThinkingBudget.Off ignored -> control.request().put("max_thinking_tokens", 0);
            case ThinkingBudget.Tokens tokens -> control.request().put("max_thinking_tokens", tokens.tokens());
        }
        return write(json.writer(), control.line());
    }

    /** Switches the model of a process that has not run a turn yet. */
    public String setModelLine(String requestId, String model) {
        ControlRequest control = ControlRequest.of(json, requestId, "set_model");
        control.request().put("model", model);
        return write(json.writer(), control.line());
    }

    /**
     * Sets model and system prompt for the next conversation of a rewound process, where a second
     * {@code initialize} would change nothing; both are set every time, as values carry over from the last one.
     */
    public String setModelAndSystemLine(String requestId, String model, String systemPrompt) {
        ControlRequest control = ControlRequest.of(json, requestId, "set_model");
        control.request().put("model", model).put("system_prompt", systemPrompt);
        return write(json.writer(), control.line());
    }

    ArrayNode content(List<Message> messages) {
        int lastAssistant = Message.lastAssistantIndex(messages);
        ArrayNode content = json.createArrayNode();
        if (lastAssistant < 0) {
            addMessages(content, messages);
            return content;
        }
        List<ContentBlock.Image> images = new ArrayList<>();
        ArrayNode history = json.createArrayNode();
        for (Message message : messages.subList(0, lastAssistant + 1)) {
            ObjectNode entry = history.addObject();
            entry.put("role", message.role() == Role.USER ? "user" : "assistant");
            ArrayNode blocks = entry.putArray("content");
            for (ContentBlock block : message.content()) {
                historyBlock(blocks, block, images);
            }
        }
        content.addObject().put("type", "text").put("text",
                HISTORY_INTRO + "<conversation_history>\n" + write(historyWriter, history) + "\n</conversation_history>");
        for (ContentBlock.Image image : images) {
            addBlock(content, image);
        }
        List<Message> current = messages.subList(lastAssistant + 1, messages.size());
        if (current.isEmpty()) {
            content.addObject().put("type", "text").put("text", CONTINUE_NOTE);
        } else {
            content.addObject().put("type", "text").put("text", CURRENT_INTRO);
            addMessages(content, current);
        }
        return content;
    }

    private void historyBlock(ArrayNode blocks, ContentBlock block, List<ContentBlock.Image> images) {
        switch (block) {
            case ContentBlock.Text text -> blocks.addObject().put("type", "text").put("text", text.text());
            case ContentBlock.Image image -> {
                images.add(image);
                blocks.addObject().put("type", "image").put("ref", images.size());
            }
            case ContentBlock.ToolUse use -> {
                ObjectNode node = blocks.addObject().put("type", "tool_use").put("id", use.id()).put("name", use.name());
                node.set("input", parseInput(use.inputJson()));
            }
            case ContentBlock.ToolResult result -> {
                ObjectNode node = blocks.addObject().put("type", "tool_result").put("tool_use_id", result.toolUseId());
                if (result.isError()) {
                    node.put("is_error", true);
                }
                ArrayNode inner = node.putArray("content");
                for (ContentBlock part : result.content()) {
                    historyBlock(inner, part, images);
                }
            }
            case ContentBlock.Thinking ignored -> {
                // earlier reasoning is not replayed, as the Messages API itself drops it from context
            }
        }
    }

    private void addMessages(ArrayNode content, List<Message> messages) {
        for (Message message : messages) {
            for (ContentBlock block : message.content()) {
                addBlock(content, block);
            }
        }
    }

    private void addBlock(ArrayNode content, ContentBlock block) {
        switch (block) {
            case ContentBlock.Text text -> content.addObject().put("type", "text").put("text", text.text());
            case ContentBlock.Image image -> {
                ObjectNode source = content.addObject().put("type", "image").putObject("source");
                source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.base64Data());
            }
            case ContentBlock.ToolUse use -> throw ProxyException.invalid(
                    "A tool call (" + use.name() + ") can only appear in an assistant message.");
            case ContentBlock.ToolResult result -> {
                // a tool result in the newest message: the model sees it as structured text
                ArrayNode wrapper = json.createArrayNode();
                List<ContentBlock.Image> images = new ArrayList<>();
                historyBlock(wrapper, result, images);
                content.addObject().put("type", "text").put("text", write(historyWriter, wrapper.get(0)));
                for (ContentBlock.Image image : images) {
                    addBlock(content, image);
                }
            }
            case ContentBlock.Thinking ignored -> {
                // see historyBlock
            }
        }
    }

    private JsonNode parseInput(String inputJson) {
        try {
            return inputJson == null || inputJson.isBlank() ? json.createObjectNode() : json.readTree(inputJson);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(inputJson);
        }
    }

    /**
     * @throws ProxyException (400) when the tree cannot be written, such as a tool input nested past Jackson's depth
     *     limit once it sits inside the history: the client's input, not the server, is at fault
     */
    private static String write(ObjectWriter writer, JsonNode node) {
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw ProxyException.invalid("The conversation cannot be passed to the model: " + e.getOriginalMessage());
        }
    }

    /** Escapes {@code <} and {@code >} so no string inside the history can contain a tag. */
    private static final class AngleBracketEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        AngleBracketEscapes() {
            escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            escapes['<'] = CharacterEscapes.ESCAPE_CUSTOM;
            escapes['>'] = CharacterEscapes.ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return new SerializedString(ch == '<' ? "\\u003c" : "\\u003e");
        }
    }
}
